import datetime
import re
import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from mentoring.choices import CloseReason, MissionPreference, Proficiency, Role
from mentoring.models import MAX_CAPACITY, Enrolment
from network.models import ExpertiseArea, Language, Mission

WEEKDAYS = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]
# "07:00-09:00", "7-9", "19h-21h", "7:00 – 9:00": hours with optional ":00" (or "h"), any dash between.
RANGE_PATTERN = re.compile(
    r"^(?P<start>\d{1,2})(?:(?::|h)(?P<start_minutes>\d{2})?)?\s*[-–—]\s*"
    r"(?P<end>\d{1,2})(?:(?::|h)(?P<end_minutes>\d{2})?)?$",
    re.IGNORECASE,
)
MAX_RANGES_PER_DAY = 6


def parse_day_ranges(text: str) -> list[tuple[int, int]]:
    """One day's time ranges as typed ("07:00-09:00, 19:00-21:00") → [(start hour, end hour)]. An end not after
    the start ("22:00-02:00") runs past midnight. Raises ValidationError with every problem found."""
    pieces = [piece.strip() for piece in re.split(r"[,;]|\s+and\s+|\s+et\s+", text or "") if piece.strip()]
    ranges, errors = [], []
    if len(pieces) > MAX_RANGES_PER_DAY:
        raise forms.ValidationError(
            _("At most %(count)d time ranges a day."), params={"count": MAX_RANGES_PER_DAY}, code="too_many"
        )
    for piece in pieces:
        found = RANGE_PATTERN.match(piece)
        if found is None:
            errors.append(
                forms.ValidationError(
                    _("“%(range)s” is not a time range: write it like 07:00-09:00."),
                    params={"range": piece},
                    code="format",
                )
            )
            continue
        start, end = int(found["start"]), int(found["end"])
        if (found["start_minutes"] or "00") != "00" or (found["end_minutes"] or "00") != "00":
            errors.append(
                forms.ValidationError(
                    _("“%(range)s”: use whole hours (07:00, not 07:30); availability is counted by the hour."),
                    params={"range": piece},
                    code="minutes",
                )
            )
        elif start > 23 or end > 24:
            errors.append(
                forms.ValidationError(
                    _("“%(range)s”: hours go from 00:00 to 24:00."), params={"range": piece}, code="hour"
                )
            )
        elif start == end:
            errors.append(
                forms.ValidationError(
                    _("“%(range)s” starts and ends at the same time."), params={"range": piece}, code="empty"
                )
            )
        else:
            ranges.append((start, end))
    if errors:
        raise forms.ValidationError(errors)
    return ranges


def format_day_ranges(ranges: list[tuple[int, int]]) -> str:
    return ", ".join(f"{start:02d}:00-{end:02d}:00" for start, end in ranges)


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class EnrolmentForm(forms.Form):
    """Enrolment as mentor or mentee. Weekly availability: a text field per day taking one or more time ranges
    ("07:00-09:00, 19:00-21:00") in her own time zone; no JavaScript needed."""

    topics = forms.ModelMultipleChoiceField(
        queryset=ExpertiseArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    mission = forms.ModelChoiceField(
        queryset=Mission.objects.all(), required=False, label=_("Current mission"), empty_label=_("None")
    )
    duty_station = forms.CharField(label=_("Duty station"), required=False, max_length=200)
    available_until = forms.DateField(
        label=_("Available until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("End of your deployment, leave or any other absence. Leave empty if none."),
    )
    time_zone = forms.ChoiceField(label=_("Your time zone"), choices=time_zone_choices, initial="UTC")
    capacity = forms.IntegerField(
        label=_("How many mentees at once (1 to 5)"),
        required=False,
        help_text=_("You will never be asked to take more."),
    )
    prefers_mission = forms.ChoiceField(
        label=_("Mentor's mission"), choices=MissionPreference.choices, initial=MissionPreference.ANY
    )
    prefers_language = forms.ModelChoiceField(
        queryset=Language.objects.all(), required=False, label=_("Preferred language"), empty_label=_("Any")
    )
    home_police_service = forms.CharField(label=_("Home police service"), required=False, max_length=200)
    contingent = forms.CharField(label=_("Contingent"), required=False, max_length=100)
    reporting_line = forms.CharField(
        label=_("Reporting line or unit"),
        required=False,
        max_length=200,
        help_text=_("You will not be paired with someone in the same reporting line."),
    )
    years_of_service = forms.IntegerField(label=_("Years of service"), min_value=0, max_value=60, initial=0)

    def __init__(self, *args, role: str, instance: Enrolment | None = None, member=None, **kwargs):
        self.role = role
        initial = kwargs.pop("initial", {}) or {}
        if instance is not None:
            initial.update(self._initial_from(instance))
        elif member is not None:
            initial.update(
                {
                    "topics": list(member.expertise.values_list("pk", flat=True)) if role == Role.MENTOR else [],
                    "home_police_service": member.police_service,
                    **{
                        f"language_{code}": Proficiency.WORKING
                        for code in member.languages.values_list("code", flat=True)
                    },
                }
            )
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["topics"].label = _("What you can pass on") if role == Role.MENTOR else _("What you want to learn")
        self.languages = list(Language.objects.all())
        for language in self.languages:
            self.fields[f"language_{language.code}"] = forms.TypedChoiceField(
                label=str(language),
                choices=[("", _("Not used"))] + list(Proficiency.choices),
                coerce=int,
                required=False,
                empty_value=None,
            )
        for day, name in enumerate(WEEKDAYS):
            self.fields[f"day{day}"] = forms.CharField(
                label=name,
                required=False,
                max_length=200,
                help_text=_("For example 07:00-09:00, 19:00-21:00. Leave empty if you are not available."),
            )
        if role == Role.MENTEE:
            del self.fields["capacity"]
        else:
            del self.fields["prefers_mission"]
            del self.fields["prefers_language"]

    @staticmethod
    def _initial_from(enrolment: Enrolment) -> dict:
        initial = {
            field: getattr(enrolment, field)
            for field in (
                "mission",
                "duty_station",
                "available_until",
                "time_zone",
                "capacity",
                "prefers_mission",
                "prefers_language",
                "home_police_service",
                "contingent",
                "reporting_line",
                "years_of_service",
            )
        }
        initial["topics"] = list(enrolment.topics.values_list("pk", flat=True))
        for row in enrolment.languages.select_related("language"):
            initial[f"language_{row.language.code}"] = row.proficiency
        by_day: dict[int, list[tuple[int, int]]] = {}
        for day, start, end in enrolment.weekly_ranges:
            by_day.setdefault(day, []).append((start, end))
        for day, ranges in by_day.items():
            initial[f"day{day}"] = format_day_ranges(ranges)
        return initial

    def language_fields(self):
        return [self[f"language_{language.code}"] for language in self.languages]

    def day_fields(self):
        return [self[f"day{day}"] for day in range(len(WEEKDAYS))]

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
            raise forms.ValidationError(
                _("Choose a number from 1 to %(max)d."), params={"max": MAX_CAPACITY}, code="capacity"
            )
        return capacity

    def clean_topics(self):
        topics = self.cleaned_data.get("topics")
        if not topics:
            raise forms.ValidationError(_("Choose at least one topic."))
        return topics

    def clean(self):
        data = super().clean()
        ranges = []
        for day in range(len(WEEKDAYS)):
            try:
                ranges += [(day, start, end) for start, end in parse_day_ranges(data.get(f"day{day}", ""))]
            except forms.ValidationError as error:
                self.add_error(f"day{day}", error)
        if not ranges and not any(f"day{day}" in self.errors for day in range(len(WEEKDAYS))):
            self.add_error("day0", _("Give at least one time range in the week when you are available."))
        languages = [
            (language, data[f"language_{language.code}"])
            for language in self.languages
            if data.get(f"language_{language.code}")
        ]
        if not languages:
            self.add_error(None, _("Choose at least one working language and your level."))
        data["weekly_ranges"] = ranges
        data["languages"] = languages
        available_until = data.get("available_until")
        if available_until and available_until < datetime.date.today():
            self.add_error("available_until", _("This date has passed."))
        return data


class RequestForm(forms.Form):
    mentor = forms.IntegerField(widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("A few words for her (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class GoalsForm(forms.Form):
    goals = forms.CharField(
        label=_("Agreed goals"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}), required=True
    )


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Time (your time zone)"), widget=forms.TimeInput(attrs={"type": "time"}))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=5, max_value=600, initial=60)
    planned = forms.BooleanField(label=_("Planned, not held yet (get a calendar invite)"), required=False)
    notes = forms.CharField(
        label=_("Private notes (only the two of you can read them)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you closing this mentorship?"), choices=[("", "—"), *CloseReason.choices]
    )


class FeedbackForm(forms.Form):
    # No default: an unchosen rating is an error, not a silent "3".
    rating = forms.TypedChoiceField(
        label=_("How was this mentorship? (1 poor, 5 excellent)"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Comments"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )


class PairForm(forms.Form):
    mentee = forms.IntegerField(widget=forms.HiddenInput)
    mentor = forms.IntegerField(widget=forms.HiddenInput)
