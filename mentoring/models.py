"""Mentoring programmes, enrolments, matching runs, mentorships, meetings and feedback."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentoring.choices import (
    CloseReason,
    EnrolmentState,
    LinkAction,
    MatchingMode,
    MatchSource,
    MentorshipState,
    MissionPreference,
    PairRuleKind,
    Proficiency,
    Role,
    RunState,
    WeightLevel,
)
from mentoring.matching import ranges_to_local_hours

MAX_CAPACITY = 5


def weight_field(label, default):
    return models.CharField(label, max_length=10, choices=WeightLevel.choices, default=default)


class Programme(models.Model):
    """A mentoring programme or cohort, with its matching rules."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)
    matching_mode = models.CharField(
        _("matching mode"), max_length=20, choices=MatchingMode.choices, default=MatchingMode.SHORTLIST
    )
    is_evergreen = models.BooleanField(_("evergreen (always open)"), default=False)
    enrolment_opens_on = models.DateField(_("enrolment opens on"), null=True, blank=True)
    enrolment_closes_on = models.DateField(_("enrolment closes on"), null=True, blank=True)
    accept_deadline_days = models.PositiveSmallIntegerField(
        _("days to answer a request"), default=5, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    expected_duration_months = models.PositiveSmallIntegerField(
        _("expected duration (months)"), default=6, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    weight_topic = weight_field(_("weight of topic fit"), WeightLevel.HIGH)
    weight_availability = weight_field(_("weight of shared hours"), WeightLevel.MEDIUM)
    weight_experience = weight_field(_("weight of mission experience"), WeightLevel.MEDIUM)
    weight_seniority = weight_field(_("weight of seniority gap"), WeightLevel.LOW)
    weight_preferences = weight_field(_("weight of preferences"), WeightLevel.LOW)
    sensitive_topics = models.ManyToManyField(
        "network.ExpertiseArea",
        blank=True,
        related_name="+",
        verbose_name=_("sensitive topics"),
        help_text=_("Mentees asking for these topics are matched with vetted mentors only."),
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coordinated_mentoring_programmes",
        verbose_name=_("coordinators"),
        help_text=_("Staff with the mentoring coordinator role who look after this programme."),
    )
    exclude_same_contingent = models.BooleanField(_("never pair members of the same contingent"), default=False)
    min_overlap_hours = models.PositiveSmallIntegerField(
        _("minimum shared hours a week"), default=2, validators=[MinValueValidator(1), MaxValueValidator(40)]
    )
    min_proficiency = models.PositiveSmallIntegerField(
        _("lowest usable language level"), choices=Proficiency.choices, default=Proficiency.WORKING
    )
    # A fresh random token whenever something the matching engine reads about the programme's mentors changes
    # (enrolments, capacities, vetting, places taken or freed, bans, the programme's rules, members' profiles):
    # the processes' cached mentor lists (queries.open_mentors_as_people) are keyed by it. Random rather than a
    # counter, so that a token written by a transaction that rolled back is never seen again.
    matching_version = models.CharField(max_length=32, default="", blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("mentoring programme")
        verbose_name_plural = _("mentoring programmes")

    def __str__(self) -> str:
        return self.title

    def enrolment_is_open(self, today: datetime.date | None = None) -> bool:
        if self.is_evergreen:
            return True
        today = today or timezone.localdate()
        if self.enrolment_opens_on and today < self.enrolment_opens_on:
            return False
        return not (self.enrolment_closes_on and today > self.enrolment_closes_on)


class Enrolment(models.Model):
    """A member's enrolment in a programme as mentor or as mentee (one of each at most)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="enrolments")
    member = models.ForeignKey("network.Member", on_delete=models.CASCADE, related_name="mentoring_enrolments")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    state = models.CharField(max_length=10, choices=EnrolmentState.choices, default=EnrolmentState.OPEN)
    topics = models.ManyToManyField(
        "network.ExpertiseArea",
        related_name="+",
        verbose_name=_("topics"),
        help_text=_("Mentors: what you can pass on. Mentees: what you want to learn."),
    )
    mission = models.ForeignKey(
        "network.Mission", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("mission")
    )
    duty_station = models.CharField(_("duty station"), max_length=200, blank=True)
    available_until = models.DateField(
        _("available until"), null=True, blank=True, help_text=_("End of deployment, leave or other absence.")
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    # The weekly time ranges as the member typed them in her time zone, several a day if she likes:
    # [[weekday 0–6, start hour 0–23, end hour 1–24], …]; an end not after the start runs past midnight.
    weekly_ranges = models.JSONField(default=list, blank=True)
    # The same hours in UTC, as a 168-bit mask (hour h of the week from Monday 00:00 UTC), in hexadecimal.
    availability_utc = models.CharField(max_length=42, default="0")
    capacity = models.PositiveSmallIntegerField(
        _("how many mentees at once"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
    )
    prefers_mission = models.CharField(
        _("mission preference"), max_length=10, choices=MissionPreference.choices, default=MissionPreference.ANY
    )
    prefers_language = models.ForeignKey(
        "network.Language",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("preferred language"),
    )
    home_police_service = models.CharField(_("home police service"), max_length=200, blank=True)
    contingent = models.CharField(_("contingent"), max_length=100, blank=True)
    reporting_line = models.CharField(
        _("reporting line or unit"),
        max_length=200,
        blank=True,
        help_text=_("You will not be paired with someone in the same reporting line."),
    )
    years_of_service = models.PositiveSmallIntegerField(
        _("years of service"), default=0, validators=[MaxValueValidator(60)]
    )
    vetted_at = models.DateTimeField(null=True, blank=True)
    vetted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Mentees in shortlist mode: the mentors last suggested to her, best first, and the one shown at the top
    # (a mentor is shown at the top of at most as many open shortlists as she has places).
    shortlist = models.JSONField(default=list, blank=True)
    top_suggestion = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="top_of_shortlists"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["programme", "member", "role"], name="mentoring_one_enrolment_per_role"),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1, capacity__lte=MAX_CAPACITY), name="mentoring_capacity_1_to_5"
            ),
        ]
        indexes = [models.Index(fields=["programme", "role", "state"])]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_role_display()} · {self.programme}"

    @property
    def availability_mask(self) -> int:
        return int(self.availability_utc or "0", 16)

    @property
    def local_hours(self) -> list[tuple[int, int]]:
        """The hours of the week the ranges cover, in her time zone: [(weekday, hour)]."""
        return ranges_to_local_hours([tuple(item) for item in self.weekly_ranges])

    @property
    def is_vetted(self) -> bool:
        return self.vetted_at is not None


class EnrolmentLanguage(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="languages")
    language = models.ForeignKey("network.Language", on_delete=models.CASCADE, related_name="+")
    proficiency = models.PositiveSmallIntegerField(choices=Proficiency.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "language"], name="mentoring_language_once")]

    def __str__(self) -> str:
        return f"{self.language} ({self.get_proficiency_display()})"


class PairRule(models.Model):
    """A coordinator's decision on one pair for the programme's matching runs: keep it, or never propose it."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="pair_rules")
    mentee = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=PairRuleKind.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mentee", "mentor"], name="mentoring_one_rule_per_pair")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.mentee_id} / {self.mentor_id}"


class MatchRun(models.Model):
    """One batch matching of a programme's cohort, staged for the coordinators' review until published."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="runs")
    state = models.CharField(max_length=12, choices=RunState.choices, default=RunState.STAGED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # run_report(): enrolled, matched, share, total score, by mission / category / region, unmatched and why.
    report = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.programme} · {self.created_at:%Y-%m-%d %H:%M}"


class MatchProposal(models.Model):
    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    mentee = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    explanation = models.JSONField(default=list)  # [{"component", "score"}]; texts are rendered per reader
    locked = models.BooleanField(default=False)

    class Meta:
        ordering = ["mentee_id"]

    def __str__(self) -> str:
        return f"{self.mentee_id} / {self.mentor_id}"


class Mentorship(models.Model):
    """A pair, from the mentee's request to the closure: requested → accepted / declined / expired → active →
    closed. Its transitions are the services in mentoring/services.py."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="mentorships")
    mentee = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="as_mentee")
    mentor = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="as_mentor")
    state = models.CharField(max_length=12, choices=MentorshipState.choices, default=MentorshipState.REQUESTED)
    source = models.CharField(max_length=12, choices=MatchSource.choices, default=MatchSource.SHORTLIST)
    score = models.FloatField(default=0)
    explanation = models.JSONField(default=list, blank=True)
    message = models.TextField(_("message to the mentor"), max_length=1000, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    answer_by = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    goals = models.TextField(_("agreed goals"), max_length=3000, blank=True)
    last_nudged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    close_reason = models.CharField(_("reason"), max_length=20, choices=CloseReason.choices, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        permissions = [("view_pair_notes", "Can read the pair's private meeting notes")]
        indexes = [models.Index(fields=["state", "answer_by"])]

    def __str__(self) -> str:
        return f"{self.mentee.member} ← {self.mentor.member}"

    def is_party(self, user) -> bool:
        return user.is_authenticated and user.pk in (self.mentee.member.user_id, self.mentor.member.user_id)


class Meeting(models.Model):
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=60, validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    planned = models.BooleanField(_("planned (not held yet)"), default=False)
    # Visible to the pair only (the mentorship's view_pair_notes grant): never in reports, exports or search.
    notes = models.TextField(_("private notes"), max_length=5000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class Feedback(models.Model):
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    text = models.TextField(_("what worked, what could be better"), max_length=3000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mentorship", "author"], name="mentoring_feedback_once")]

    def __str__(self) -> str:
        return f"{self.mentorship_id}: {self.rating}"


class UsedLink(models.Model):
    """A one-click email link already used: each link works once."""

    nonce = models.CharField(max_length=32, unique=True)
    action = models.CharField(max_length=10, choices=LinkAction.choices)
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="+")
    used_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.action} {self.used_at:%Y-%m-%d}"
