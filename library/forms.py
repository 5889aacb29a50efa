"""The library's browse filters (GET) and the Wagtail admin's document form."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

from library.choices import DocumentLanguage, DocumentType
from library.models import Topic


class BrowseForm(forms.Form):
    """What the library home filters on; a value it does not know is an error message, never a 500."""

    topic = forms.ChoiceField(label=_("Topic"), required=False)
    document_type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any type")), *DocumentType.choices]
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *DocumentLanguage.choices]
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        topics = [(topic.slug, topic.display_name) for topic in Topic.objects.order_by("sort_order", "name")]
        self.fields["topic"].choices = [("", _("Any topic")), *topics]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}


class DocumentAdminForm(BaseDocumentForm):
    """Wagtail's document form with the library's fields (WAGTAILDOCS_DOCUMENT_FORM_BASE).

    The file is checked by library.files (through Document.clean); a new file does not delete the earlier
    one, which stays as an earlier version (library.services.record_file_version).
    """

    class Meta(BaseDocumentForm.Meta):
        widgets = {
            **BaseDocumentForm.Meta.widgets,
            "topics": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        self.user = kwargs.get("user")
        super().__init__(*args, **kwargs)
        self._access_before = {
            "access_level": self.instance.access_level,
            "is_restricted": self.instance.is_restricted,
        }

    def save(self, commit=True):
        from library import services

        # Wagtail deletes the replaced file here; the library keeps it as an earlier version.
        self.original_file = None
        is_new = self.instance.pk is None
        self.instance._version_actor = self.user
        document = super().save(commit=commit)
        if commit:
            if "file" in self.changed_data:
                services.record_file_version(document, actor=self.user)
            if not is_new:
                services.record_document_change(document, actor=self.user, before=self._access_before)
        return document
