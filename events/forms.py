import puremagic
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from events.choices import EventFormat, EventKind, EventTiming, Region, SessionLanguage

MAX_LETTER_BYTES = 5 * 1024 * 1024
LETTER_TYPES = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


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
    """The content type of an uploaded letter, read from its bytes (puremagic); raises ValidationError."""
    if upload.size > MAX_LETTER_BYTES:
        raise ValidationError(_("The letter is larger than 5 MB. Please send a smaller file."))
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        matches = []
    for match in matches:
        mime = getattr(match, "mime_type", "") or ""
        if mime in LETTER_TYPES:
            return mime
    raise ValidationError(_("The letter must be a PDF, PNG or JPEG file."))


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
