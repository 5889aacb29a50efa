from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members only")


class MetricSource(models.TextChoices):
    COMPUTED = "computed", _("Computed from platform data")
    RECORDED = "recorded", _("Recorded values")
    STATISTIC = "statistic", _("Statistic series")


class TargetUnit(models.TextChoices):
    COUNT = "count", _("Count")
    PERCENT = "percent", _("Percent")


class AdvocacyKind(models.TextChoices):
    TALK = "talk", _("Talk or presentation")
    RECRUITMENT = "recruitment", _("Recruitment drive")
    MEDIA = "media", _("Media piece")
    MEETING = "meeting", _("Meeting")
    OTHER = "other", _("Other")
