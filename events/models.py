"""Trainings and events: an index page, course and event pages with their sessions, registrations, attendance,
calendar feeds and reminders.

A course or event page holds one or more sessions (dates, time zone, place or online, language, capacity,
registration window, who may register). Times are stored in UTC; each session keeps the zone it happens in,
and pages show them in the viewer's zone (network/timezones.py). The access level of a page (who may see it)
is read by cms/access.py like every other page's; a session's `min_access_level` says who may register.
"""

import secrets
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.documents import get_document_model_string
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from events.choices import CURRENT_STATES, EventKind, MaterialAudience, Region, RegistrationState, SessionLanguage
from network.choices import AccessLevel
from network.models.accounts import get_private_storage
from network.timezones import is_valid_time_zone

INTRO_FEATURES = ["bold", "italic", "link"]
BODY_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


# What the page types show besides their fields, read by events/queries.py; set by EventsConfig.ready() so that
# this module does not import the queries (which import it).
PAGE_CONTEXT: dict = {}


def access_level_field():
    return models.PositiveSmallIntegerField(
        _("who may see this page"),
        choices=AccessLevel.choices,
        default=AccessLevel.PUBLIC,
        help_text=_("Applies to this page and every page below it."),
    )


class AccessLevelMixin:
    @property
    def required_access_level(self) -> AccessLevel:
        """The strictest level of this page and of the events pages above it (the cms pages above are asked
        by cms/access.py when the page is served)."""
        levels = [self.access_level]
        parent = self.get_parent()
        if parent is not None:
            levels.append(getattr(parent.specific, "access_level", AccessLevel.PUBLIC))
        return AccessLevel(max(levels))


class EventsIndexPage(AccessLevelMixin, Page):
    """The list of courses and events below it, with filters that work without JavaScript."""

    access_level = access_level_field()
    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    settings_panels = [FieldPanel("access_level"), *Page.settings_panels]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["cms.HomePage", "cms.SectionIndexPage", "cms.ProgrammePage"]
    subpage_types = ["events.CoursePage", "events.EventPage"]
    # Filters come from the query string: never served from the anonymous page cache.
    cache_anonymous = False

    class Meta:
        verbose_name = _("events index page")

    def get_context(self, request, *args, **kwargs):
        from events.forms import EventFilterForm

        context = super().get_context(request, *args, **kwargs)
        form = EventFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        context["filter_form"] = form
        query = request.GET.copy()
        query.pop("page", None)
        context["filter_querystring"] = query.urlencode()
        context["sessions"] = PAGE_CONTEXT["index_sessions"](
            request.user, self, filters, page_number=request.GET.get("page")
        )
        return context


class EventPageTag(TaggedItemBase):
    content_object = ParentalKey("events.EventBasePage", on_delete=models.CASCADE, related_name="tagged_items")


class EventBasePage(AccessLevelMixin, Page):
    """What courses and single events share; not created directly."""

    access_level = access_level_field()
    kind = models.CharField(_("type"), max_length=20, choices=EventKind.choices, default=EventKind.COURSE)
    intro = models.TextField(_("summary"), max_length=500, blank=True)
    body = RichTextField(_("description"), blank=True, features=BODY_FEATURES)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    organiser_email = models.EmailField(_("organiser's contact address"), blank=True)
    topics = ClusterTaggableManager(through=EventPageTag, blank=True, verbose_name=_("topics"))
    selective = models.BooleanField(
        _("selective"),
        default=False,
        help_text=_(
            "Registrations wait for the organisers' approval; members add a nomination note or a letter from "
            "their police service."
        ),
    )

    settings_panels = [FieldPanel("access_level"), *Page.settings_panels]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("organiser"),
        index.FilterField("kind"),
    ]
    is_creatable = False
    cache_anonymous = False
    # A copy or a translation gets no sessions: their seats, registrations and calendar UIDs belong to this page.
    exclude_fields_in_copy = ["sessions"]
    parent_page_types = ["events.EventsIndexPage"]
    subpage_types: list = []

    class Meta:
        verbose_name = _("course or event")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(PAGE_CONTEXT["page_context"](request.user, self))
        return context


_COMMON_PANELS = [
    FieldPanel("intro"),
    FieldPanel("body"),
    FieldRowPanel([FieldPanel("region"), FieldPanel("selective")]),
    MultiFieldPanel([FieldPanel("organiser"), FieldPanel("organiser_email")], heading=_("Organiser")),
    FieldPanel("topics"),
    InlinePanel("sessions", heading=_("Sessions"), label=_("session"), min_num=1),
    InlinePanel("materials", heading=_("Materials"), label=_("material")),
]


class CoursePage(EventBasePage):
    """A training course (the train-the-trainer pilots) with one or more sessions."""

    content_panels = [*Page.content_panels, *_COMMON_PANELS]
    is_creatable = True
    template = "events/course_page.html"

    class Meta:
        verbose_name = _("training course")

    def save(self, *args, **kwargs):
        self.kind = EventKind.COURSE
        super().save(*args, **kwargs)


class EventPage(EventBasePage):
    """A single event: a webinar, a networking meeting, a conference side event."""

    content_panels = [*Page.content_panels, FieldPanel("kind"), *_COMMON_PANELS]
    is_creatable = True
    template = "events/course_page.html"

    class Meta:
        verbose_name = _("event")

    def clean(self):
        super().clean()
        if self.kind == EventKind.COURSE:
            raise ValidationError({"kind": _("A training course is a course page: choose another type.")})


class Session(Orderable):
    """One run of a course or event: when, where, in which language, for how many."""

    page = ParentalKey(EventBasePage, on_delete=models.CASCADE, related_name="sessions")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    label = models.CharField(_("label"), max_length=150, blank=True, help_text=_("For example “French session”."))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", help_text=_("Where the session happens, e.g. Africa/Kigali.")
    )
    online = models.BooleanField(_("online"), default=False)
    place = models.CharField(_("place"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    online_link = models.URLField(_("online link"), blank=True, help_text=_("Shown to registered participants only."))
    language = models.CharField(_("language"), max_length=5, choices=SessionLanguage.choices, default="en")
    capacity = models.PositiveIntegerField(_("seats"), default=20)
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    min_access_level = models.PositiveSmallIntegerField(
        _("who may register"), choices=AccessLevel.choices, default=AccessLevel.MEMBERS
    )

    panels = [
        FieldPanel("label"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at"), FieldPanel("time_zone")]),
        FieldRowPanel([FieldPanel("online"), FieldPanel("place"), FieldPanel("country")]),
        FieldPanel("online_link"),
        FieldRowPanel([FieldPanel("language"), FieldPanel("capacity"), FieldPanel("min_access_level")]),
        FieldRowPanel([FieldPanel("registration_opens_at"), FieldPanel("registration_closes_at")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["starts_at"], name="events_session_starts")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.page.title} – {self.label or self.starts_at:%Y-%m-%d}"

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The session must end after it starts.")
        if not is_valid_time_zone(self.time_zone):
            errors["time_zone"] = _("“%(zone)s” is not a time zone we know (use a name like Africa/Kigali).") % {
                "zone": self.time_zone
            }
        if self.online and not self.online_link:
            errors["online_link"] = _("An online session needs the link participants join with.")
        if not self.online and not self.place:
            errors["place"] = _("Say where the session takes place, or mark it online.")
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens and closes and closes <= opens:
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        if self.capacity is not None and self.capacity < 1:
            errors["capacity"] = _("A session needs at least one seat.")
        if errors:
            raise ValidationError(errors)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone if is_valid_time_zone(self.time_zone) else "UTC")

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        closes = self.registration_closes_at or self.starts_at
        return now < closes

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()


class Material(Orderable):
    """A training material: a page of the site or a document chosen in the library."""

    page = ParentalKey(EventBasePage, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    linked_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("page")
    )
    document = models.ForeignKey(
        get_document_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("document"),
    )
    audience = models.CharField(
        _("who sees it"), max_length=20, choices=MaterialAudience.choices, default=MaterialAudience.PARTICIPANTS
    )

    panels = [FieldPanel("title"), PageChooserPanel("linked_page"), FieldPanel("document"), FieldPanel("audience")]

    class Meta(Orderable.Meta):
        verbose_name = _("material")

    def clean(self):
        super().clean()
        if not self.linked_page_id and not self.document_id:
            raise ValidationError(_("Choose a page or a document."))

    @property
    def url(self) -> str:
        if self.document_id and self.document is not None:
            return self.document.url
        if self.linked_page_id and self.linked_page is not None:
            return self.linked_page.url or ""
        return ""


def letter_path(instance: "Registration", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "pdf"
    return f"event-letters/{uuid.uuid4().hex}.{extension}"


class Registration(models.Model):
    """One member's registration for one session, from registering (or the waiting list) to attendance."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations")
    state = models.CharField(_("state"), max_length=20, choices=RegistrationState.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Her place on the waiting list: the moment she joined it (ties broken by id).
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("confirm before"), null=True, blank=True)
    nomination_note = models.TextField(_("nomination note"), max_length=2000, blank=True)
    letter = models.FileField(
        _("letter from your police service"), upload_to=letter_path, storage=get_private_storage, blank=True
    )
    letter_type = models.CharField(max_length=100, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    attendance_marked_at = models.DateTimeField(null=True, blank=True)
    certificate_code = models.CharField(max_length=32, null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(state__in=CURRENT_STATES),
                name="one_current_registration_per_session",
            )
        ]
        indexes = [
            models.Index(fields=["session", "state"], name="events_reg_session_state"),
            models.Index(fields=["user", "state"], name="events_reg_user_state"),
            models.Index(
                fields=["offer_expires_at"], name="events_reg_offers", condition=Q(state=RegistrationState.OFFERED)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.session} ({self.get_state_display()})"

    @property
    def is_current(self) -> bool:
        return self.state in CURRENT_STATES


def new_feed_key() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """The secret of a member's personal calendar address; replacing it revokes every address given out."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    key = models.CharField(max_length=64, default=new_feed_key)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user} calendar"


class SessionReminder(models.Model):
    """One reminder sent; its unique key makes the reminder task safe to run twice."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "days_before"], name="one_event_reminder_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.days_before} days before"
