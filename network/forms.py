from allauth.account import forms as allauth_forms
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.choices import Visibility
from network.models import Member, MissionService

MAX_PHOTO_BYTES = 3 * 1024 * 1024
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}

VISIBILITY_LABELS = {
    "country": _("Who may see your country"),
    "police_service": _("Who may see your police service or employer"),
    "rank": _("Who may see your rank or title"),
    "missions": _("Who may see the missions you served in"),
    "languages": _("Who may see your languages"),
    "expertise": _("Who may see your areas of expertise"),
    "bio": _("Who may see your biography"),
    "photo": _("Who may see your photo"),
}


class ProfileForm(forms.ModelForm):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)

    class Meta:
        model = Member
        fields = ["country", "police_service", "rank", "languages", "expertise", "bio", "photo"]
        widgets = {
            "languages": forms.CheckboxSelectMultiple,
            "expertise": forms.CheckboxSelectMultiple,
            "bio": forms.Textarea(attrs={"rows": 5}),
            "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].initial = self.instance.user.first_name
        self.fields["last_name"].initial = self.instance.user.last_name
        for field in Member.VISIBLE_FIELDS:
            self.fields[f"visibility_{field}"] = forms.ChoiceField(
                label=VISIBILITY_LABELS[field],
                choices=Visibility.choices,
                initial=self.instance.visibility_of(field),
            )

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "image"):
            if photo.size > MAX_PHOTO_BYTES:
                raise ValidationError(_("The photo is larger than 3 MB. Please choose a smaller image."))
            if getattr(photo.image, "format", None) not in PHOTO_FORMATS:
                raise ValidationError(_("Please upload a JPEG, PNG or WebP image."))
        return photo

    def visibility(self) -> dict[str, str]:
        return {field: self.cleaned_data[f"visibility_{field}"] for field in Member.VISIBLE_FIELDS}

    def visibility_fields(self):
        return [self[f"visibility_{field}"] for field in Member.VISIBLE_FIELDS]


class MissionServiceForm(forms.ModelForm):
    class Meta:
        model = MissionService
        fields = ["mission", "start_year", "end_year"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start and start > timezone.now().year:
            self.add_error("start_year", _("The start year cannot be in the future."))
        if start and end and end < start:
            self.add_error("end_year", _("The end year cannot be before the start year."))
        return cleaned


MissionServiceFormSet = forms.inlineformset_factory(
    Member, MissionService, form=MissionServiceForm, extra=1, can_delete=True, max_num=30
)


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up form, saying plainly when the address already has an account.

    The issue asks for that message; login and password reset still do not reveal which addresses exist.
    """

    def clean_email(self):
        email = super().clean_email()
        if getattr(self, "account_already_exists", False):
            self.account_already_exists = False
            raise ValidationError(
                _(
                    "An account with this email address already exists. Log in, or reset your password "
                    "if you have forgotten it."
                ),
                code="email_taken",
            )
        return email
