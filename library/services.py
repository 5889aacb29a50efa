"""Every write of the library: uploads and new versions, details and access changes, grants, downloads and
the result of the background text extraction. Each is atomic and audited; extraction is queued on commit.
"""

import datetime
import logging
import os

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from library import extraction
from library.choices import ExtractionStatus
from library.files import check_upload
from library.models import Document, DocumentVersion
from library.permissions import VIEW_PERM, can_manage_library, is_private_download
from network.choices import AuditAction
from network.models import User
from network.services.audit import record_audit
from network.tasks_queue import queue_task

logger = logging.getLogger(__name__)

EXTRACT_TASK = "library.tasks.extract_document_text"
ACCESS_FIELDS = ("access_level", "is_restricted")


def _check_can_manage(actor: User | None) -> None:
    # No actor: the system itself (the demo seed, a data migration).
    if actor is not None and not can_manage_library(actor):
        raise PermissionDenied


def _store_file(document: Document, upload, name: str, actor: User | None) -> None:
    checked = check_upload(upload, name)
    upload.seek(0)
    document.file.save(f"upload.{checked.extension}", File(upload, name=name), save=False)
    document._original_name = os.path.basename(name)[:200]
    document._version_actor = actor
    document._set_document_file_metadata()


@transaction.atomic
def upload_document(*, actor: User | None, upload, name: str, title: str, topics=(), **fields) -> Document:
    """A new library document from an uploaded file (checked by library.files.check_upload), with its first
    version; audited, text extraction queued on commit. Raises ValidationError for a refused file."""
    _check_can_manage(actor)
    document = Document(title=title, uploaded_by_user=actor, **fields)
    _store_file(document, upload, name, actor)
    document.save()
    if topics:
        document.topics.set(topics)
    record_file_version(document, actor=actor)
    return document


@transaction.atomic
def add_document_version(document: Document, *, actor: User | None, upload, name: str) -> DocumentVersion:
    """Replace the document's file; the earlier file stays as an earlier version. Audited, extraction queued."""
    _check_can_manage(actor)
    _store_file(document, upload, name, actor)
    document.save()
    return record_file_version(document, actor=actor)


@transaction.atomic
def record_file_version(document: Document, *, actor: User | None) -> DocumentVersion:
    """The version row of the document's current file (made once: calling again returns the same row), and
    the text extraction of that file queued on commit. The Wagtail admin's forms end here too."""
    existing = DocumentVersion.objects.filter(document=document, file=document.file.name).first()
    if existing is not None:
        return existing
    # Locks the document row: two uploads at once get numbers one after the other.
    Document.objects.select_for_update().filter(pk=document.pk).first()
    number = (document.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = DocumentVersion.objects.create(
        document=document,
        number=number,
        file=document.file.name,
        original_name=getattr(document, "_original_name", "") or document.filename,
        file_size=document.file_size,
        uploaded_by=actor if actor is not None and actor.pk else None,
    )
    Document.objects.filter(pk=document.pk).update(
        extraction_status=ExtractionStatus.PENDING, extraction_error="", page_count=None
    )
    document.extraction_status = ExtractionStatus.PENDING
    document.extraction_error = ""
    record_audit(
        AuditAction.DOCUMENT_UPLOADED if number == 1 else AuditAction.DOCUMENT_VERSION_ADDED,
        actor=actor,
        target=document,
        details={"version": number, "file_name": version.original_name, "size": version.file_size},
    )
    queue_task(EXTRACT_TASK, document.pk, number)
    return version


@transaction.atomic
def update_document(document: Document, *, actor: User | None, topics=None, **fields) -> Document:
    """Change a document's details; a change of who may open it is audited as such."""
    _check_can_manage(actor)
    before = {name: getattr(document, name) for name in ACCESS_FIELDS}
    for name, value in fields.items():
        setattr(document, name, value)
    document.full_clean()
    document.save()
    if topics is not None:
        document.topics.set(topics)
    record_document_change(document, actor=actor, before=before)
    return document


def record_document_change(document: Document, *, actor: User | None, before: dict) -> None:
    """The audit entry of an edit: DOCUMENT_ACCESS_CHANGED when the access fields moved, else DOCUMENT_UPDATED."""
    after = {name: getattr(document, name) for name in ACCESS_FIELDS}
    if after != before:
        record_audit(
            AuditAction.DOCUMENT_ACCESS_CHANGED,
            actor=actor,
            target=document,
            details={"before": {k: int(v) for k, v in before.items()}, "after": {k: int(v) for k, v in after.items()}},
        )
    else:
        record_audit(AuditAction.DOCUMENT_UPDATED, actor=actor, target=document)


def grant_document_access(document: Document, user_or_group: User | Group, *, actor: User | None, reason: str):
    """Open a restricted document to one person or group (still at the document's access level), audited."""
    from network.services.staff import grant_object_permission

    grant_object_permission(user_or_group, VIEW_PERM, document, actor=actor, reason=reason)


def revoke_document_access(document: Document, user_or_group: User | Group, *, actor: User | None, reason: str):
    from network.services.staff import revoke_object_permission

    revoke_object_permission(user_or_group, VIEW_PERM, document, actor=actor, reason=reason)


@transaction.atomic
def record_download(document: Document, *, actor: User, version: DocumentVersion | None = None) -> None:
    """Count one download; a download of a document that is not public is written to the audit log."""
    Document.objects.filter(pk=document.pk).update(download_count=F("download_count") + 1)
    if is_private_download(document):
        record_audit(
            AuditAction.DOCUMENT_DOWNLOADED,
            actor=actor if actor.is_authenticated else None,
            target=document,
            details={"version": version.number if version else None},
        )


def _read(field_file) -> bytes:
    with field_file.storage.open(field_file.name, "rb") as handle:
        return handle.read()


def extract_document_text(document_id: int, version_number: int) -> str:
    """Read the text, page count and first-page preview of one version's file and store them on the document.

    Safe to run twice and in any order: a finished extraction, or one for a version that is no longer the
    current one, does nothing. A file that cannot be read leaves the status "failed" with the reason; an
    unreadable storage raises OSError (the task retries). Returns the status.
    """
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return "missing"
    version = document.versions.filter(number=version_number).first()
    current = document.versions.order_by("-number").first()
    if version is None or current is None or version.pk != current.pk:
        return "stale"
    if document.extraction_status != ExtractionStatus.PENDING and document.extracted_version == version_number:
        return document.extraction_status
    data = _read(version.file)
    preview = None
    try:
        result = extraction.extract(data, version.file_extension)
    except extraction.ExtractionError as error:
        status, reason, text, pages = ExtractionStatus.FAILED, str(error)[:300], "", None
    else:
        status, reason, text, pages = ExtractionStatus.DONE, "", result.text, result.page_count
        if version.file_extension == "pdf":
            preview = extraction.render_pdf_preview(data)
    _store_extraction(document, version, status=status, reason=reason, text=text, pages=pages, preview=preview)
    return status


@transaction.atomic
def _store_extraction(document, version, *, status, reason, text, pages, preview) -> None:
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.versions.order_by("-number").values_list("pk", flat=True).first() != version.pk:
        return  # a newer file arrived meanwhile; its own extraction is queued
    old_preview = locked.preview.name if locked.preview else ""
    locked.extraction_status = status
    locked.extraction_error = reason
    locked.extracted_text = text
    locked.extracted_version = version.number
    locked.extracted_at = timezone.now()
    locked.page_count = pages
    if preview:
        from django.core.files.base import ContentFile

        locked.preview.save("preview.png", ContentFile(preview), save=False)
    elif old_preview:
        locked.preview = ""
    locked.save(
        update_fields=[
            "extraction_status",
            "extraction_error",
            "extracted_text",
            "extracted_version",
            "extracted_at",
            "page_count",
            "preview",
        ]
    )
    DocumentVersion.objects.filter(pk=version.pk).update(page_count=pages)
    if old_preview and old_preview != locked.preview.name:
        storage = locked.preview.storage
        transaction.on_commit(lambda: storage.delete(old_preview))
    if status == ExtractionStatus.FAILED:
        logger.info("Text extraction of document %s failed: %s", document.pk, reason)


def queue_pending_extractions(older_than_minutes: int = 10) -> int:
    """Queue again the extractions still pending after a while (the broker was down when the upload came)."""
    cutoff = timezone.now() - datetime.timedelta(minutes=older_than_minutes)
    rows = list(
        DocumentVersion.objects.filter(
            document__extraction_status=ExtractionStatus.PENDING, uploaded_at__lt=cutoff
        ).values_list("document_id", "number")
    )
    latest: dict[int, int] = {}
    for document_id, number in rows:
        latest[document_id] = max(number, latest.get(document_id, 0))
    for document_id, number in latest.items():
        queue_task(EXTRACT_TASK, document_id, number)
    return len(latest)


def validation_message(error: ValidationError) -> str:
    return " ".join(error.messages)
