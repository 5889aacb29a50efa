import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from wagtail.models import Page

from cms.models import HomePage
from network.choices import MemberCategory, StaffRole
from network.models import Member, User

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_every_category_and_staff_role_once(capsys):
    call_command("seed_demo")
    first = (User.objects.count(), Member.objects.count(), Page.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Member.objects.count(), Page.objects.count()) == first

    categories = set(Member.objects.exclude(category="").values_list("category", flat=True))
    assert categories == set(MemberCategory.values)
    for role in StaffRole:
        assert User.objects.filter(groups__name=role.value).exists(), role
    assert not EmailAddress.objects.filter(verified=False).exists()
    assert set(HomePage.objects.values_list("locale__language_code", flat=True)) == {"en", "fr"}
    output = capsys.readouterr().out
    assert "peacekeepers-demo-2014" in output
    assert "editor@example.org" in output


def test_seeded_demo_member_can_log_in_and_see_profile(client):
    call_command("seed_demo", quiet_passwords=True)
    assert client.login(email="amina.diallo@example.org", password="peacekeepers-demo-2014")
    page = client.get("/en/members/me/").content.decode()
    assert "Amina Diallo" in page
    assert "MINUSCA" in page


def test_seed_demo_refuses_to_run_in_production(monkeypatch):
    from django.core.management.base import CommandError

    monkeypatch.setenv("DJANGO_ENV", "production")
    with pytest.raises(CommandError, match="refuses to run in production"):
        call_command("seed_demo")
