import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.fields.json import KT
from django.db.models.functions import Lower
from django.db.models.lookups import In
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from network.choices import MemberCategory, Visibility


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account; the email address is the login."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    # The language of her emails and notifications: the one she last used the site in (empty: the default).
    language = models.CharField(_("language"), max_length=8, blank=True, choices=settings.LANGUAGES)
    # Set by the "all" unsubscribe scope (network.notifications): notifications stay on the site, no email.
    notification_emails_paused = models.BooleanField(_("notification emails paused"), default=False)
    # The zone times are shown in (network/timezones.py); empty: guessed from her country.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]
        # The members' directory lists people in this order: its first page reads the index, not every member.
        indexes = [models.Index(fields=["last_name", "first_name", "id"], name="user_directory_order")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class Mission(models.Model):
    """A UN peace operation a member may have served in."""

    acronym = models.CharField(_("acronym"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("host country"), blank=True)

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("UN mission")
        verbose_name_plural = _("UN missions")

    def __str__(self) -> str:
        return self.acronym


class Language(models.Model):
    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return str(_(self.name))


class ExpertiseArea(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("area of expertise")
        verbose_name_plural = _("areas of expertise")

    def __str__(self) -> str:
        return str(_(self.name))


private_storage = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


def get_private_storage() -> FileSystemStorage:
    # A callable, so migrations do not record this machine's PRIVATE_MEDIA_ROOT.
    return private_storage


def member_photo_path(instance: "Member", filename: str) -> str:
    # A random name: the file name must not reveal who is pictured.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"member-photos/{uuid.uuid4().hex}.{extension}"


VISIBILITY_VALUES = frozenset(Visibility.values)


def shared_with_network(*fields: str) -> models.Q:
    """Whether one of these profile fields is shared with the network (or with all members, which includes it)."""
    audiences = [Visibility.NETWORK.value, Visibility.MEMBERS.value]
    shared = models.Q()
    for field in fields:
        shared |= models.Q(In(KT(f"visibility__{field}"), audiences))
    return shared


def network_sees(*fields: str) -> models.GeneratedField:
    return models.GeneratedField(
        expression=models.Case(models.When(shared_with_network(*fields), then=True), default=False),
        output_field=models.BooleanField(),
        db_persist=True,
    )


class Member(models.Model):
    """The membership profile of a user. An empty category means the person has not been admitted yet."""

    # The fields whose audience the member chooses; everything else is never shown to others.
    # Records other apps show on the profile under an audience of their own (the training record), kept in
    # `visibility` with the fields' audiences but not part of the directory's "shares a field" test.
    RECORD_VISIBILITY_KEYS = ("training_record",)

    VISIBLE_FIELDS = (
        "country",
        "police_service",
        "rank",
        "missions",
        "languages",
        "expertise",
        "bio",
        "photo",
    )

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    category = models.CharField(_("category"), max_length=20, choices=MemberCategory.choices, blank=True)
    country = CountryField(_("country"), blank=True)
    police_service = models.CharField(_("police service or employer"), max_length=200, blank=True)
    rank = models.CharField(_("rank or title"), max_length=100, blank=True)
    languages = models.ManyToManyField(Language, blank=True, verbose_name=_("languages"))
    expertise = models.ManyToManyField(ExpertiseArea, blank=True, verbose_name=_("areas of expertise"))
    bio = models.TextField(_("short biography"), max_length=1500, blank=True)
    photo = models.ImageField(_("photo"), upload_to=member_photo_path, storage=get_private_storage, blank=True)
    visibility = models.JSONField(_("field visibility"), default=dict, blank=True)
    hide_current_deployment = models.BooleanField(
        _("hide my current deployment"),
        default=False,
        help_text=_("While deployed, nobody else sees the mission you are serving in now."),
    )
    membership_expires_on = models.DateField(_("membership expires on"), null=True, blank=True)
    # What the directory's search looks in (network/directory_text.py): folded names and the fields shared with
    # the network. Derived on save from the user's names and this profile.
    directory_search = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # What network members (active, civilian, honorary) may see, kept by the database from `visibility`: the
    # directory filters and counts on these plain columns, which PostgreSQL indexes and keeps statistics for,
    # instead of reading the JSON of every profile.
    network_sees_any = network_sees(*VISIBLE_FIELDS)
    network_sees_country = network_sees("country")
    network_sees_missions = network_sees("missions")
    network_sees_languages = network_sees("languages")
    network_sees_expertise = network_sees("expertise")

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes = [
            models.Index(fields=["category"]),
            # The directory's base set; the filters then narrow it by country or by semi-joins on missions,
            # languages and expertise.
            models.Index(
                fields=["country"], name="member_directory_country", condition=models.Q(network_sees_country=True)
            ),
            # The few members hiding a current deployment, which the mission filter leaves out.
            models.Index(
                fields=["id"], name="member_hiding_deployment", condition=models.Q(hide_current_deployment=True)
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    # The fields directory_search is derived from, besides the user's names.
    DIRECTORY_SEARCH_SOURCES = frozenset({"country", "police_service", "rank", "visibility"})

    def save(self, *args, **kwargs):
        # Derived, not a side effect: kept in step here so that no way of saving a profile can leave it stale.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or self.DIRECTORY_SEARCH_SOURCES & set(update_fields):
            self.directory_search = self.compute_directory_search()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "directory_search"}
        super().save(*args, **kwargs)

    def compute_directory_search(self) -> str:
        from network.directory_text import directory_search_text

        return directory_search_text(
            self.user.first_name,
            self.user.last_name,
            country=self.country.code if self.country else "",
            police_service=self.police_service,
            rank=self.rank,
            visibility=self.visibility,
        )

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or _("Member")

    def visibility_of(self, field: str) -> str:
        # Anything not chosen explicitly is private: profiles are private by default.
        value = self.visibility.get(field, Visibility.PRIVATE)
        return value if value in VISIBILITY_VALUES else Visibility.PRIVATE


class MissionService(models.Model):
    """One deployment of a member to a UN mission."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="missions")
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, verbose_name=_("mission"))
    start_year = models.PositiveSmallIntegerField(
        _("from (year)"), validators=[MinValueValidator(1948), MaxValueValidator(2100)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("to (year)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1948), MaxValueValidator(2100)],
        help_text=_("Leave empty while still deployed."),
    )

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("mission served")
        verbose_name_plural = _("missions served")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__isnull=True) | models.Q(end_year__gte=models.F("start_year")),
                name="mission_service_years_in_order",
            )
        ]

    def __str__(self) -> str:
        end = self.end_year or "…"
        return f"{self.mission} ({self.start_year}–{end})"
