from django import forms
from django.utils.translation import gettext_lazy as _

from events.choices import EventFormat, EventKind, EventTiming, Region, SessionLanguage
from network import files

MAX_LETTER_BYTES = 5 * 1024 * 1024
LETTER_EXTENSIONS = ("pdf", "png", "jpg", "jpeg")


class EventFilterForm(forms.Form):
    """The events index's filters (GET): every field optional, unknown values are a form error, not a 500."""

    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types")), *EventKind.choices])
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("All languages")), *SessionLanguage.choices]
    )
    region = forms.ChoiceField(label=_("Region"), required=False, choices=[("", _("All regions")), *Region.choices])
    when = forms.ChoiceField(
        label=_("When"), required=False, choices=[("", _("Upcoming and past")), *EventTiming.choices]
    )
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("", _("Online and in person")), *EventFormat.choices]
    )


def sniff_letter(upload) -> str:
    """The content type of an uploaded letter, checked by the site's private-file rules; raises ValidationError."""
    return files.check_upload(
        upload, upload.name, max_bytes=MAX_LETTER_BYTES, extensions=LETTER_EXTENSIONS
    ).content_type


class RegistrationForm(forms.Form):
    """Registering for a session: a nomination note or letter for selective courses."""

    join_waitlist = forms.BooleanField(required=False, widget=forms.HiddenInput)
    nomination_note = forms.CharField(
        label=_("Nomination note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Who nominates you and why (selective courses)."),
    )
    letter = forms.FileField(
        label=_("Letter from your police service"),
        required=False,
        help_text=_("PDF, PNG or JPEG, 5 MB at most. Only you and the organisers can open it."),
    )

    def clean_letter(self):
        letter = self.cleaned_data.get("letter")
        if letter:
            self.letter_type = sniff_letter(letter)
        return letter


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the member"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))


class ReportFilterForm(forms.Form):
    since = forms.DateField(label=_("Sessions from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
