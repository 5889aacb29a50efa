from django.db import models
from django.utils.translation import gettext_lazy as _


class MatchingMode(models.TextChoices):
    SHORTLIST = "shortlist", _("Mentees choose from a shortlist")
    BATCH = "batch", _("Coordinators match the whole cohort")
    MANUAL = "manual", _("Coordinators match one by one, with ranked suggestions")


class WeightLevel(models.TextChoices):
    MUST = "must", _("Must")
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")
    OFF = "off", _("Not used")


class Role(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")


class Proficiency(models.IntegerChoices):
    BASIC = 1, _("Basic")
    WORKING = 2, _("Working")
    FLUENT = 3, _("Fluent")
    NATIVE = 4, _("Native")


class MissionPreference(models.TextChoices):
    ANY = "any", _("No preference")
    SAME = "same", _("Someone in my mission")
    OTHER = "other", _("Someone from another mission")


class EnrolmentState(models.TextChoices):
    OPEN = "open", _("Open")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MentorshipState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class MatchSource(models.TextChoices):
    SHORTLIST = "shortlist", _("Requested from a shortlist")
    BATCH = "batch", _("Proposed by a matching run")
    MANUAL = "manual", _("Proposed by a coordinator")


class CloseReason(models.TextChoices):
    COMPLETED = "completed", _("Goals reached")
    NO_TIME = "no_time", _("No time any more")
    NOT_A_FIT = "not_a_fit", _("Not a good fit")
    DEPLOYMENT = "deployment", _("Deployment or leave")
    OTHER = "other", _("Other")


class RunState(models.TextChoices):
    STAGED = "staged", _("Staged for review")
    PUBLISHED = "published", _("Published")
    DISCARDED = "discarded", _("Replaced by a later run")


class PairRuleKind(models.TextChoices):
    LOCK = "lock", _("Locked")
    BAN = "ban", _("Excluded")


class LinkAction(models.TextChoices):
    ACCEPT = "accept", _("Accept the request")
    DECLINE = "decline", _("Decline the request")
    MET = "met", _("We met")
