from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import AdvocacyAction

MAX_PEOPLE_REACHED = 100_000_000


class AdvocacyActionForm(forms.ModelForm):
    """What a member did to advocate for more women in UN policing."""

    people_reached = forms.IntegerField(
        label=_("People reached"),
        min_value=0,
        max_value=MAX_PEOPLE_REACHED,
        initial=0,
        help_text=_("About how many people heard or read it (0 if you do not know)."),
        error_messages={
            "min_value": _("The number of people reached cannot be negative."),
            "max_value": _("Please check the number of people reached: it looks too large."),
            "invalid": _("Enter the number of people reached as a whole number, e.g. 40."),
        },
    )

    class Meta:
        model = AdvocacyAction
        fields = ["kind", "title", "date", "country", "place", "people_reached", "description"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "title": _("e.g. “Talk at the national police academy”."),
            "place": _("Town, institution or media outlet."),
        }

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future: log actions once they have taken place."))
        return day


class CampaignContributorForm(forms.Form):
    """Joining or leaving a campaign's contributors' list (two buttons, one form)."""

    action = forms.ChoiceField(choices=[("join", "join"), ("leave", "leave")])
