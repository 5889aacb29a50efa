import datetime
import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from mentoring.choices import CloseReason, MissionPreference, Proficiency, Role
from mentoring.models import MAX_CAPACITY, Enrolment
from network.models import ExpertiseArea, Language, Mission

WEEKDAYS = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]
FROM_HOURS = [("", "—")] + [(str(h), f"{h:02d}:00") for h in range(24)]
TO_HOURS = [("", "—")] + [(str(h), f"{h:02d}:00") for h in range(1, 25)]


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class EnrolmentForm(forms.Form):
    """Enrolment as mentor or mentee. Weekly availability: one time range per day, in her own time zone."""

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
            self.fields[f"day{day}_from"] = forms.TypedChoiceField(
                label=_("%(day)s from") % {"day": name},
                choices=FROM_HOURS,
                coerce=int,
                required=False,
                empty_value=None,
            )
            self.fields[f"day{day}_to"] = forms.TypedChoiceField(
                label=_("%(day)s to") % {"day": name}, choices=TO_HOURS, coerce=int, required=False, empty_value=None
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
        by_day: dict[int, list[int]] = {}
        for day, hour in enrolment.local_hours:
            by_day.setdefault(day, []).append(hour)
        for day, hours in by_day.items():
            initial[f"day{day}_from"] = min(hours)
            initial[f"day{day}_to"] = max(hours) + 1
        return initial

    def language_fields(self):
        return [self[f"language_{language.code}"] for language in self.languages]

    def day_fields(self):
        return [(name, self[f"day{day}_from"], self[f"day{day}_to"]) for day, name in enumerate(WEEKDAYS)]

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
        hours = []
        for day, _name in enumerate(WEEKDAYS):
            start, end = data.get(f"day{day}_from"), data.get(f"day{day}_to")
            if start is None and end is None:
                continue
            if start is None or end is None or end <= start:
                self.add_error(f"day{day}_to", _("Give a start and a later end, or leave both empty."))
                continue
            hours += [(day, hour) for hour in range(start, end)]
        if not hours and not self.errors:
            self.add_error("day0_from", _("Choose at least one time range in the week when you are available."))
        languages = [
            (language, data[f"language_{language.code}"])
            for language in self.languages
            if data.get(f"language_{language.code}")
        ]
        if not languages:
            self.add_error(None, _("Choose at least one working language and your level."))
        data["local_hours"] = hours
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
