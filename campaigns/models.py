"""Campaigns, their targets and the values that measure them, and members' advocacy.

The tables keep the names they had when these models lived in `network` (db_table), so moving the code into
this app moved no data (see migrations/0001_initial.py).
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from campaigns.choices import AdvocacyKind, CampaignVisibility, MetricSource, TargetUnit


class Bilingual:
    """Editors write each text in English (`title`) and, optionally, in French (`title_fr`).

    `local_<name>` gives the text in the active language, and the English where no French was written, so a
    French page never shows an empty heading. Wagtail's per-locale copies would have split each campaign's
    targets, snapshots and contributors by language; these are one campaign in two languages.
    """

    def in_language(self, name: str) -> str:
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        if language != settings.LANGUAGE_CODE:
            translated = getattr(self, f"{name}_{language}", "")
            if translated:
                return translated
        return getattr(self, name)

    @property
    def local_title(self) -> str:
        return self.in_language("title")


class StatisticSeries(Bilingual, ClusterableModel):
    """A yearly data series (e.g. share of women among UN police), edited as a snippet."""

    title = models.CharField(_("title"), max_length=200)
    title_fr = models.CharField(_("title in French"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=20, choices=TargetUnit.choices, default=TargetUnit.COUNT)
    source = models.CharField(_("source"), max_length=300, blank=True)
    source_fr = models.CharField(_("source in French"), max_length=300, blank=True)

    class Meta:
        db_table = "network_statisticseries"
        verbose_name = _("statistic series")
        verbose_name_plural = _("statistic series")

    def __str__(self) -> str:
        return self.local_title

    @property
    def local_source(self) -> str:
        return self.in_language("source")


class StatisticPoint(Orderable):
    series = ParentalKey(StatisticSeries, on_delete=models.CASCADE, related_name="points")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)

    class Meta(Orderable.Meta):
        db_table = "network_statisticpoint"
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="one_point_per_series_year")]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


class Campaign(Bilingual, models.Model):
    title = models.CharField(_("title"), max_length=200)
    title_fr = models.CharField(_("title in French"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), unique=True)
    summary = models.TextField(_("summary"), blank=True)
    summary_fr = models.TextField(_("summary in French"), blank=True)
    start_date = models.DateField(_("start"))
    deadline = models.DateField(_("deadline"))
    visibility = models.CharField(
        _("who may see it"), max_length=20, choices=CampaignVisibility.choices, default=CampaignVisibility.PUBLIC
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "network_campaign"
        ordering = ["-start_date"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gt=models.F("start_date")), name="campaign_deadline_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.local_title

    @property
    def local_summary(self) -> str:
        return self.in_language("summary")


class Target(Bilingual, models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    title = models.CharField(_("title"), max_length=200)
    title_fr = models.CharField(_("title in French"), max_length=200, blank=True)
    source = models.CharField(_("metric source"), max_length=20, choices=MetricSource.choices)
    # The registered name of a computed metric (campaigns/metrics.py), when source is "computed".
    metric = models.CharField(_("computed metric"), max_length=60, blank=True)
    statistic_series = models.ForeignKey(
        StatisticSeries, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("statistic series")
    )
    target_value = models.DecimalField(_("target"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, default=0)
    unit = models.CharField(_("unit"), max_length=20, choices=TargetUnit.choices, default=TargetUnit.COUNT)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "network_target"
        ordering = ["campaign", "sort_order", "pk"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return f"{self.campaign}: {self.local_title}"


class RecordedValue(models.Model):
    """A dated value entered by staff or imported from CSV, for targets whose source is "recorded"."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="recorded_values")
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "network_recordedvalue"
        ordering = ["target", "date"]
        constraints = [models.UniqueConstraint(fields=["target", "date"], name="one_recorded_value_per_day")]

    def __str__(self) -> str:
        return f"{self.target} {self.date}: {self.value}"


class ProgressSnapshot(models.Model):
    """A target's value on one day, stored daily by Celery beat (one row per target and day)."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="snapshots")
    date = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2)
    # Breakdowns such as {"category": {"active": 12, …}, "country": {"SN": 4, …}}.
    breakdown = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "network_progresssnapshot"
        ordering = ["target", "date"]
        constraints = [models.UniqueConstraint(fields=["target", "date"], name="one_snapshot_per_target_day")]

    def __str__(self) -> str:
        return f"{self.target} {self.date}: {self.value}"


class AdvocacyAction(models.Model):
    """Something a member did to advocate for more women in UN policing."""

    member = models.ForeignKey("network.Member", on_delete=models.CASCADE, related_name="advocacy_actions")
    kind = models.CharField(_("kind of action"), max_length=20, choices=AdvocacyKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    country = CountryField(_("country"), blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    date = models.DateField(_("date"))
    people_reached = models.PositiveIntegerField(_("people reached"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "network_advocacyaction"
        ordering = ["-date", "-pk"]
        verbose_name = _("advocacy action")
        verbose_name_plural = _("advocacy actions")
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return self.title


class CampaignContributor(models.Model):
    """A member who chose to be listed among a campaign's contributors."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="contributors")
    member = models.ForeignKey("network.Member", on_delete=models.CASCADE, related_name="campaigns_contributed")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "network_campaigncontributor"
        constraints = [models.UniqueConstraint(fields=["campaign", "member"], name="one_listing_per_campaign_member")]

    def __str__(self) -> str:
        return f"{self.member} – {self.campaign}"
