import factory
from allauth.account.models import EmailAddress

from cms.services import ensure_home_pages
from network.models import Member, User

TEST_PASSWORD = "a-long-enough-test-passphrase"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """An account as it is after the person confirmed their address (pass verified=False to skip)."""
        self.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


UserFactory.PASSWORD = TEST_PASSWORD


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    user = factory.SubFactory(UserFactory)
    category = ""


def home_pages():
    return ensure_home_pages(
        {
            "en": {"title": "Peacekeepers Network", "intro": "Women in UN policing."},
            "fr": {"title": "Réseau des policières", "intro": "Les femmes dans la police des Nations Unies."},
        },
        site_name="Peacekeepers Network",
    )
