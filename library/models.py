"""The document library: Wagtail's document model extended with what members browse by (type, topics,
language, year), who may open a document (access level and per-document grants), its earlier versions and
what the background extraction found in its file (text, page count, a preview of the first page).

Files live in the private storage (network.models.get_private_storage), under names the server makes up, and
are reached only through views that ask library.permissions (see network/files.py: file_response).
"""

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from wagtail.documents.models import AbstractDocument
from wagtail.search import index

from library.choices import DocumentLanguage, DocumentType, ExtractionStatus
from network.choices import AccessLevel
from network.models.accounts import get_private_storage


def document_file_path(instance, filename: str) -> str:
    """A random name: the stored name says nothing of the document, and cannot be chosen by the uploader."""
    # The upload's own name is kept (for the version history) before it is replaced.
    instance._original_name = os.path.basename(filename)[:200]
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"library/{uuid.uuid4().hex}.{extension[:8]}"


def preview_path(instance, filename: str) -> str:
    return f"library-previews/{uuid.uuid4().hex}.png"


class Topic(models.Model):
    """A subject of the managed taxonomy (SGBV prevention and investigation, mentoring…), kept by editors."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_fr = models.CharField(_("name in French"), max_length=100, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if (get_language() or "").startswith("fr") and self.name_fr:
            return self.name_fr
        return self.name


class Document(AbstractDocument):
    file = models.FileField(
        upload_to=document_file_path, storage=get_private_storage, max_length=200, verbose_name=_("file")
    )
    # Named as Wagtail's own model: its reverse accessors need other names.
    uploaded_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by user"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="library_documents",
    )
    uploaded_by_user.wagtail_reference_index_ignore = True
    tags = TaggableManager(help_text=None, blank=True, verbose_name=_("tags"), related_name="library_documents")
    summary = models.TextField(_("summary"), blank=True)
    document_type = models.CharField(_("document type"), max_length=20, choices=DocumentType.choices, blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), related_name="documents", blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=DocumentLanguage.choices, default=DocumentLanguage.ENGLISH
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        help_text=_("The original this document translates (for example the English version of a French text)."),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    author = models.CharField(_("author or organisation"), max_length=200, blank=True)
    access_level = models.PositiveSmallIntegerField(
        _("who may open it"), choices=AccessLevel.choices, default=AccessLevel.MEMBERS
    )
    is_restricted = models.BooleanField(
        _("only people granted access"),
        default=False,
        help_text=_("Open only to the people and groups granted access to this document, at its access level."),
    )
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True, editable=False)
    preview = models.FileField(
        upload_to=preview_path, storage=get_private_storage, max_length=200, blank=True, editable=False
    )
    extraction_status = models.CharField(
        _("text extraction"),
        max_length=10,
        choices=ExtractionStatus.choices,
        default=ExtractionStatus.PENDING,
        editable=False,
    )
    extraction_error = models.CharField(_("why extraction failed"), max_length=300, blank=True, editable=False)
    extracted_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    extracted_text = models.TextField(blank=True, editable=False)
    extracted_at = models.DateTimeField(null=True, blank=True, editable=False)
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)

    admin_form_fields = (
        "title",
        "file",
        "collection",
        "summary",
        "document_type",
        "topics",
        "language",
        "translation_of",
        "year",
        "author",
        "access_level",
        "is_restricted",
        "tags",
    )
    search_fields = [*AbstractDocument.search_fields, index.SearchField("summary"), index.FilterField("language")]

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        permissions = [("choose_document", "Can choose document")]
        indexes = [models.Index(fields=["access_level", "is_restricted"], name="library_doc_access_idx")]

    def clean(self):
        super().clean()
        from library.files import check_document_file

        check_document_file(self)

    @property
    def is_public(self) -> bool:
        return self.access_level == AccessLevel.PUBLIC and not self.is_restricted

    @property
    def is_pdf(self) -> bool:
        return self.file_extension == "pdf"

    @property
    def download_name(self) -> str:
        from django.utils.text import slugify

        return f"{slugify(self.title)[:80] or 'document'}.{self.file_extension}"


class DocumentVersion(models.Model):
    """One uploaded file of a document; the newest is the document's current file, the earlier ones stay."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(storage=get_private_storage, max_length=200, editable=False)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_size = models.PositiveBigIntegerField(_("size"), null=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="library_version_number_unique")]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"

    @property
    def file_extension(self) -> str:
        return os.path.splitext(self.file.name)[1][1:].lower()
