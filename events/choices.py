from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    COURSE = "course", _("Training course")
    WEBINAR = "webinar", _("Webinar")
    NETWORKING = "networking", _("Networking meeting")
    SIDE_EVENT = "side_event", _("Conference side event")


class Region(models.TextChoices):
    AFRICA = "africa", _("Africa")
    AMERICAS = "americas", _("Americas")
    ASIA_PACIFIC = "asia_pacific", _("Asia and the Pacific")
    EUROPE = "europe", _("Europe")
    MIDDLE_EAST = "middle_east", _("Middle East")
    GLOBAL = "global", _("Worldwide")


class SessionLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    ARABIC = "ar", _("Arabic")


class RegistrationState(models.TextChoices):
    PENDING = "pending", _("Waiting for the organisers' decision")
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    OFFERED = "offered", _("Seat offered: confirm before the deadline")
    CANCELLED = "cancelled", _("Cancelled")
    DECLINED = "declined", _("Declined by the organisers")
    EXPIRED = "expired", _("Offer expired")


# A registration in one of these states is the member's current one for the session (at most one).
CURRENT_STATES = (
    RegistrationState.PENDING,
    RegistrationState.REGISTERED,
    RegistrationState.WAITLISTED,
    RegistrationState.OFFERED,
)
# These hold a seat: the capacity counts them.
SEAT_STATES = (RegistrationState.REGISTERED, RegistrationState.OFFERED)


class MaterialAudience(models.TextChoices):
    VISITORS = "visitors", _("Everyone who may see the event")
    PARTICIPANTS = "participants", _("Registered participants only")


class EventTiming(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    PAST = "past", _("Past")


class EventFormat(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
