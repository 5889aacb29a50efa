from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberCategory(models.TextChoices):
    ACTIVE = "active", _("Active (serving police officer)")
    CIVILIAN = "civilian", _("Civilian")
    HONORARY = "honorary", _("Honorary")
    OBSERVER = "observer", _("Observer")


class Visibility(models.TextChoices):
    """Who may see one field of a profile, from the narrowest audience to the widest."""

    PRIVATE = "private", _("Only me")
    NETWORK = "network", _("Network members (active, civilian, honorary)")
    MEMBERS = "members", _("All members (including observers)")


class AccessLevel(models.IntegerChoices):
    """The access levels, each including the ones below it."""

    PUBLIC = 0, _("Public")
    MEMBERS = 1, _("Members")
    NETWORK = 2, _("Network")
    COMMUNITY = 3, _("Community of Practice")


class StaffRole(models.TextChoices):
    """Staff roles; each is a Django group of the same name."""

    MEMBERSHIP_OFFICER = "Membership officers", _("Membership officer")
    MODERATOR = "Community moderators", _("Community moderator")
    EDITOR = "Editors", _("Editor")
    ADMINISTRATOR = "Administrators", _("Administrator")


class EmailState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
