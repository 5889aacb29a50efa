import functools

from allauth.account import forms as allauth_forms
from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from network.choices import MemberCategory, Visibility, country_choices
from network.models import (
    CommunityAccessRequest,
    ExpertiseArea,
    Language,
    Member,
    MembershipApplication,
    Mission,
    MissionService,
)
from network.timezones import is_valid_time_zone, time_zone_choices

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
    "training_record": _("Who may see your training record (courses you attended)"),
}


class ProfileForm(forms.ModelForm):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("Event times are shown in this zone. Leave it empty to use the main zone of your country."),
    )

    class Meta:
        model = Member
        fields = [
            "country",
            "police_service",
            "rank",
            "languages",
            "expertise",
            "bio",
            "photo",
            "hide_current_deployment",
        ]
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
        self.fields["time_zone"].choices = [("", _("Guess from my country")), *time_zone_choices()]
        self.fields["time_zone"].initial = self.instance.user.time_zone
        for field in (*Member.VISIBLE_FIELDS, *Member.RECORD_VISIBILITY_KEYS):
            self.fields[f"visibility_{field}"] = forms.ChoiceField(
                label=VISIBILITY_LABELS[field],
                choices=Visibility.choices,
                initial=self.instance.visibility_of(field),
                # A record's audience (the training record) stays as it was when a form leaves it out.
                required=field in Member.VISIBLE_FIELDS,
            )

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "image"):
            if photo.size > MAX_PHOTO_BYTES:
                raise ValidationError(_("The photo is larger than 3 MB. Please choose a smaller image."))
            if getattr(photo.image, "format", None) not in PHOTO_FORMATS:
                raise ValidationError(_("Please upload a JPEG, PNG or WebP image."))
        return photo

    def clean_time_zone(self):
        value = self.cleaned_data.get("time_zone", "")
        if value and not is_valid_time_zone(value):
            raise ValidationError(
                _("“%(zone)s” is not a time zone we know. Choose one from the list.") % {"zone": value}
            )
        return value

    def visibility(self) -> dict[str, str]:
        chosen = {field: self.cleaned_data[f"visibility_{field}"] for field in Member.VISIBLE_FIELDS}
        for key in Member.RECORD_VISIBILITY_KEYS:
            chosen[key] = self.cleaned_data.get(f"visibility_{key}") or self.instance.visibility_of(key)
        return chosen

    def visibility_fields(self):
        return [self[f"visibility_{field}"] for field in (*Member.VISIBLE_FIELDS, *Member.RECORD_VISIBILITY_KEYS)]


class MissionChoiceField(forms.ModelChoiceField):
    """Missions listed by acronym and name ("UNMISS — United Nations Mission in the Republic of South Sudan")."""

    def label_from_instance(self, obj) -> str:
        return f"{obj.acronym} — {obj.name}"


class MissionServiceForm(forms.ModelForm):
    class Meta:
        model = MissionService
        fields = ["mission", "start_year", "end_year"]
        field_classes = {"mission": MissionChoiceField}

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
    """allauth's sign-up form, with the person's name and the terms of membership to agree to.

    An address that already has an account gets the same answer as a new one ("check your email"), and its
    owner an email saying so (allauth's enumeration prevention): whether a serving police officer has an
    account here must not be learnt by trying her address.
    """

    # Stored on the account by allauth's adapter; emails greet the person by name, not by address.
    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput({"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput({"autocomplete": "family-name"})
    )
    agree_terms = forms.BooleanField(required=True)
    field_order = ["first_name", "last_name", "email", "password1", "password2", "agree_terms"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.conf import settings

        self.fields["agree_terms"].label = _("I agree to the terms of membership (version %(version)s)") % {
            "version": settings.TERMS_VERSION
        }
        # The terms open in a new tab: what was typed in the form stays where it is.
        self.fields["agree_terms"].help_text = format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("network:terms"),
            _("Read the terms of membership (opens in a new tab)"),
        )
        self.fields["agree_terms"].error_messages["required"] = _(
            "Please tick the box to agree to the terms of membership; you cannot join without it."
        )

    def signup(self, request, user):
        # Called by allauth once the account exists: the consent is stored with its date and text version.
        from network.services.privacy import record_terms_consent

        record_terms_consent(user)


# --- imports ---


class MemberImportForm(forms.Form):
    """The upload of a CSV file of existing members; the file itself is checked by network/services/imports.py."""

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8 CSV with a header row. Required columns: email, first_name, last_name, category. "
            "Optional: country, police_service, rank, languages, membership_expires_on. At most 10 MB and "
            "50,000 rows."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )


# --- directory, messages, community of practice, privacy ---


class FastSelect(forms.Select):
    """A <select> rendered in Python from a cached list of options. For flat choices (no option groups).

    Django renders each option through a template, which cost ~50 ms for the 250 countries of every directory
    page; the options of each list (per language) are now built once and the chosen one marked in the string.
    """

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        attrs["name"] = name
        options = _options_html(tuple((str(key), str(label)) for key, label in self.choices))
        chosen = format_html('<option value="{}">', "" if value is None else str(value))
        options = options.replace(chosen, f"{chosen[:-1]} selected>", 1)
        return format_html("<select{}>{}</select>", flatatt(attrs), mark_safe(options))  # noqa: S308 -- escaped


@functools.lru_cache(maxsize=64)
def _options_html(choices: tuple[tuple[str, str], ...]) -> str:
    return format_html_join("", '<option value="{}">{}</option>', choices)


class ListedChoicesMixin:
    """A model choice field that reads its queryset once per form, in one plain query, for both the options it
    shows and the value it checks.

    A ModelChoiceField reads the list through a server-side cursor (three round trips) each time it is rendered,
    and once more to check the value sent. Call `load()` from the form's __init__.
    """

    def load(self) -> None:
        self.listed = {str(item.pk): item for item in self.queryset}
        self.widget.choices = [("", self.empty_label)] + [
            (pk, self.label_from_instance(item)) for pk, item in self.listed.items()
        ]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.listed[str(value)]
        except KeyError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from None


class ListedModelChoiceField(ListedChoicesMixin, forms.ModelChoiceField):
    pass


class ListedMissionChoiceField(ListedChoicesMixin, MissionChoiceField):
    pass


def filter_list(field_class, label, queryset) -> forms.ModelChoiceField:
    """An optional filter on one of the directory's reference lists, "Any" first."""
    return field_class(label=label, queryset=queryset, required=False, empty_label=_("Any"), widget=FastSelect)


class DirectorySearchForm(forms.Form):
    """The directory's search and filters (GET). Invalid values are reported and ignored, never fatal."""

    DEFAULT_PAGE_SIZE = 25

    q = forms.CharField(
        label=_("Name, country, service or rank"),
        max_length=100,
        required=False,
        error_messages={"max_length": _("Please shorten the search to %(limit_value)d characters at most.")},
    )
    country = forms.ChoiceField(label=_("Country"), required=False, widget=FastSelect)
    mission = filter_list(ListedMissionChoiceField, _("Mission served"), Mission.objects.all())
    expertise = filter_list(ListedModelChoiceField, _("Area of expertise"), ExpertiseArea.objects.all())
    language = filter_list(ListedModelChoiceField, _("Language"), Language.objects.all())
    category = forms.ChoiceField(label=_("Category"), required=False, widget=FastSelect)
    per_page = forms.IntegerField(label=_("Members per page"), min_value=10, max_value=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any")), *country_choices()]
        from network.permissions import NETWORK_CATEGORIES

        self.fields["category"].choices = [
            ("", _("Any")),
            *((value, label) for value, label in MemberCategory.choices if value in NETWORK_CATEGORIES),
        ]
        for name in ("mission", "expertise", "language"):
            self.fields[name].load()

    def search_refused(self) -> bool:
        """A search text that cannot be used (too long): no results are shown rather than every member."""
        return self.is_bound and not self.is_valid() and "q" in self.errors

    def filters(self) -> dict:
        """The valid filters only: a wrong value in one field does not throw away the others."""
        if not self.is_bound:
            return {}
        self.is_valid()
        names = ("q", "country", "mission", "expertise", "language", "category")
        return {name: self.cleaned_data[name] for name in names if self.cleaned_data.get(name)}

    def page_size(self) -> int:
        if not self.is_bound:
            return self.DEFAULT_PAGE_SIZE
        self.is_valid()
        return self.cleaned_data.get("per_page") or self.DEFAULT_PAGE_SIZE


class MemberMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("At most 3,000 characters. The member receives your name and this text, never your address."),
    )

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise ValidationError(_("Please write a message."), code="empty")
        return body


class CommunityAccessRequestForm(forms.ModelForm):
    class Meta:
        model = CommunityAccessRequest
        fields = ["motivation"]
        widgets = {"motivation": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "motivation": _(
                "A few sentences. Moderators read it, and so do network members who may endorse your request."
            )
        }

    def clean_motivation(self):
        motivation = self.cleaned_data["motivation"].strip()
        if len(motivation) < 20:
            raise ValidationError(_("Please write at least a sentence or two (20 characters)."), code="short")
        return motivation


class CommunityEndorsementForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the moderators (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommunityDecisionForm(forms.Form):
    """A moderator's decision on a request: approve (optional review date), decline, renew or revoke."""

    ACTIONS = {
        "approve": _("Approve"),
        "decline": _("Decline"),
        "renew": _("Change the review date"),
        "revoke": _("Revoke access"),
    }

    action = forms.ChoiceField(choices=list(ACTIONS.items()), widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason (the member reads it)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    review_on = forms.DateField(
        label=_("Review date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional. Access lapses on this date unless renewed; the member is reminded 14 days before."),
    )

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action in ("decline", "revoke") and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Please give the member a reason."))
        review_on = cleaned.get("review_on")
        if action in ("approve", "renew") and review_on and review_on <= timezone.localdate():
            self.add_error("review_on", _("The review date must be in the future."))
        return cleaned


class FeatureConsentForm(forms.Form):
    consent = forms.TypedChoiceField(
        choices=[("yes", _("Give consent")), ("no", _("Withdraw consent"))],
        coerce=lambda value: value == "yes",
        widget=forms.HiddenInput,
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and my personal data will be erased and cannot be restored."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("This is not your current password."), code="wrong_password")
        return password


# --- applications, category changes and renewals ---

CATEGORY_DESCRIPTIONS = {
    "active": _("You serve as a police officer, or did until recently, and have served in a UN peace operation."),
    "civilian": _("You work with police peacekeeping as a civilian, for example in the UN or a ministry."),
    "honorary": _("You are nominated by a member for your contribution, for example after retiring from service."),
    "observer": _(
        "You follow the network's work for your organisation or research; observers do not see the members' directory."
    ),
}

# Labels that depend on the category: the same model field means different things to different applicants.
EVIDENCE_LABELS = {
    "police_service": _("Police service"),
    "rank": _("Rank"),
    "mission": _("Current or last UN mission"),
    "mission_start_year": _("In that mission from (year)"),
    "mission_end_year": _("Until (year)"),
    "role": _("Your role"),
    "nominator_name": _("Who nominates you"),
    "nomination_reason": _("Why they nominate you"),
    "interest": _("Your interest in the network"),
    "statement": _("Anything else the membership officers should know"),
}
ORGANISATION_LABELS = {"civilian": _("Employing organisation"), "observer": _("Organisation")}
EVIDENCE_HELP = {
    "mission_end_year": _("Leave empty if you are still deployed there."),
    "nominator_name": _("The name of the member or organisation nominating you."),
}


class ApplicationCategoryForm(forms.Form):
    """Step 1 of an application: the category. Step 2 asks for the evidence that category needs."""

    category = forms.ChoiceField(label=_("Which kind of membership are you applying for?"), widget=forms.RadioSelect)

    def __init__(self, *args, current_category: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            (value, label) for value, label in MemberCategory.choices if value != current_category
        ]
        self.fields["category"].error_messages["invalid_choice"] = _("Please choose one of the categories listed.")
        self.fields["category"].error_messages["required"] = _("Please choose a category.")


class ApplicationEvidenceForm(forms.ModelForm):
    """Step 2: the evidence for one category; the fields (and which are required) come from the service's map."""

    category = ""

    class Meta:
        model = MembershipApplication
        fields: list[str] = []
        field_classes = {"mission": MissionChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from network.services.applications import APPLICATION_EVIDENCE

        required, _optional = APPLICATION_EVIDENCE[self.category]
        for name, field in self.fields.items():
            if name == "country":
                continue
            field.required = name in required
            label = ORGANISATION_LABELS.get(self.category) if name == "organisation" else EVIDENCE_LABELS[name]
            # Most fields are required, so the few optional ones say so in their label.
            field.label = label if field.required else _("%(label)s (optional)") % {"label": label}
            if name in EVIDENCE_HELP:
                field.help_text = EVIDENCE_HELP[name]
        for name in ("mission_start_year", "mission_end_year"):
            if name in self.fields:
                self.fields[name].widget.attrs.update({"min": 1948, "max": timezone.now().year, "inputmode": "numeric"})
        if "mission" in self.fields:
            self.fields["mission"].empty_label = _("Choose a mission")

    def clean(self):
        cleaned = super().clean()
        this_year = timezone.now().year
        start, end = cleaned.get("mission_start_year"), cleaned.get("mission_end_year")
        for name, year in (("mission_start_year", start), ("mission_end_year", end)):
            if year is not None and not 1948 <= year <= this_year:
                self.add_error(name, _("Please enter a year between 1948 and %(year)s.") % {"year": this_year})
        if start and end and end < start:
            self.add_error("mission_end_year", _("The end year cannot be before the start year."))
        return cleaned

    def evidence(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.fields if name != "country"}

    def country(self) -> str:
        return self.cleaned_data.get("country", "")


def application_form_class(category: str) -> type[ApplicationEvidenceForm]:
    from network.services.applications import evidence_fields

    widgets = {
        name: forms.Textarea(attrs={"rows": 4})
        for name in ("nomination_reason", "interest", "statement")
        if name in evidence_fields(category)
    }
    meta = type(
        "Meta", (ApplicationEvidenceForm.Meta,), {"fields": list(evidence_fields(category)), "widgets": widgets}
    )
    # The country goes to the applicant's profile (private until shared); officers see it in their list.
    country = forms.ChoiceField(
        label=_("Country you serve or work in"),
        choices=lambda: [("", _("Choose a country")), *country_choices()],
        error_messages={"required": _("Please choose your country.")},
    )
    attrs = {"Meta": meta, "category": category, "country": country}
    return type(f"{category.title()}ApplicationForm", (ApplicationEvidenceForm,), attrs)


class DecisionReasonForm(forms.Form):
    """An officer's reason for a decision; the applicant reads it in the email. Rejecting and asking for more
    information need one (the applicant must know why, or what to add); approving does not."""

    REASON_OPTIONAL_FOR = ("approve",)

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("The applicant receives this text by email."),
        error_messages={"required": _("Please give a reason; the applicant will read it.")},
    )

    def __init__(self, *args, decision: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if decision in self.REASON_OPTIONAL_FOR:
            self.fields["reason"].required = False
            self.fields["reason"].label = _("Message to the applicant (optional)")
            self.fields["reason"].help_text = _("Sent with the welcome email, if you write one.")


class CategoryChangeForm(forms.Form):
    category = forms.ChoiceField(label=_("New category"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, current_category: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            (value, label) for value, label in MemberCategory.choices if value != current_category
        ]


class RenewMembershipForm(forms.Form):
    until = forms.DateField(label=_("Membership valid until"))
    reason = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from wagtail.admin.widgets import AdminDateInput

        self.fields["until"].widget = AdminDateInput()

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until <= timezone.localdate():
            raise ValidationError(_("The new expiry date must be in the future."))
        return until
