"""Uploading, new versions, text extraction and download counting, as editors and members see them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from library import services
from library.choices import ExtractionStatus
from library.models import Document
from network.choices import AccessLevel, AuditAction
from network.models import AuditEntry
from tests.factories.library import (
    docx_bytes,
    make_library_document,
    odt_bytes,
    pdf_bytes,
    pptx_bytes,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


def test_upload_stores_the_file_privately_under_a_server_made_name(editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = make_library_document("SGBV curriculum", name="../../etc/passwd.pdf", actor=editor)
    assert document.file.name.startswith("library/")
    assert "passwd" not in document.file.name
    assert document.file.storage.location.endswith("private")
    version = document.versions.get()
    assert version.number == 1
    assert version.original_name == "passwd.pdf"
    assert version.uploaded_by == editor
    assert AuditEntry.objects.filter(action=AuditAction.DOCUMENT_UPLOADED, object_id=str(document.pk)).exists()


def test_refused_file_is_not_stored(editor):
    with pytest.raises(ValidationError):
        make_library_document("Fake", data=b"<html></html>", name="fake.pdf", actor=editor)
    assert not Document.objects.filter(title="Fake").exists()


def test_member_cannot_upload(active):
    with pytest.raises(PermissionDenied):
        make_library_document("Mine", actor=active)


def test_text_page_count_and_preview_are_extracted_on_commit(editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = make_library_document(
            "Module 2", data=pdf_bytes("Gender mainstreaming in patrols", "Second page about leadership"), actor=editor
        )
    document.refresh_from_db()
    assert document.extraction_status == ExtractionStatus.DONE
    assert "Gender mainstreaming in patrols" in document.extracted_text
    assert "leadership" in document.extracted_text
    assert document.page_count == 2
    assert document.versions.get().page_count == 2
    with document.preview.open("rb") as preview:
        assert preview.read(8) == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("curriculum.docx", docx_bytes("Interviewing survivors with care"), "Interviewing survivors with care"),
        ("roster.xlsx", xlsx_bytes([("Officer", "Mission"), ("Awa Diallo", "MINUSCA")]), "Awa Diallo MINUSCA"),
        ("briefing.pptx", pptx_bytes("Community policing in camps"), "Community policing in camps"),
        ("notes.odt", odt_bytes("Lessons from Darfur"), "Lessons from Darfur"),
        ("notes.txt", b"Checklist for night patrols", "Checklist for night patrols"),
    ],
)
def test_text_is_extracted_from_office_and_text_files(editor, django_capture_on_commit_callbacks, name, data, expected):
    with django_capture_on_commit_callbacks(execute=True):
        document = make_library_document("File", data=data, name=name, actor=editor)
    document.refresh_from_db()
    assert document.extraction_status == ExtractionStatus.DONE
    assert expected in document.extracted_text


def test_encrypted_pdf_fails_with_reason_and_stays_downloadable(client, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = make_library_document("Locked", data=pdf_bytes("Secret", password="s3cret"), actor=editor)
    document.refresh_from_db()
    assert document.extraction_status == ExtractionStatus.FAILED
    assert "encrypted" in document.extraction_error
    response = client.get(reverse("library:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(editor)
    assert "Text extraction failed" in client.get(reverse("library:document_detail", args=[document.pk])).text


def test_corrupt_pdf_fails_with_reason(editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = make_library_document("Broken", data=b"%PDF-1.4\n garbage without objects", actor=editor)
    document.refresh_from_db()
    assert document.extraction_status == ExtractionStatus.FAILED
    assert document.extraction_error


def test_running_the_extraction_twice_does_it_once(editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = make_library_document("Twice", actor=editor)
    document.refresh_from_db()
    extracted_at = document.extracted_at
    assert services.extract_document_text(document.pk, 1) == ExtractionStatus.DONE
    document.refresh_from_db()
    assert document.extracted_at == extracted_at


def test_new_version_keeps_the_earlier_file(client, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = make_library_document("Pilot report 2011", data=pdf_bytes("First draft"), actor=editor)
        services.add_document_version(
            document, actor=editor, upload=upload("final.pdf", pdf_bytes("Final text")), name="final.pdf"
        )
    document.refresh_from_db()
    assert [v.number for v in document.versions.all()] == [2, 1]
    assert "Final text" in document.extracted_text
    # The first version's file is still there, and downloadable.
    old = client.get(reverse("library:version_download", args=[document.pk, 1]))
    assert old.status_code == 200
    import io

    from pypdf import PdfReader

    assert "First draft" in PdfReader(io.BytesIO(b"".join(old.streaming_content))).pages[0].extract_text()
    assert AuditEntry.objects.filter(action=AuditAction.DOCUMENT_VERSION_ADDED, object_id=str(document.pk)).exists()
    client.force_login(editor)
    page = client.get(reverse("library:document_detail", args=[document.pk])).text
    assert "Download version 1" in page


def test_a_stale_extraction_does_not_overwrite_a_newer_version(editor, django_capture_on_commit_callbacks):
    document = make_library_document("Stale", data=pdf_bytes("Old words"), actor=editor)
    services.add_document_version(document, actor=editor, upload=upload("n.pdf", pdf_bytes("New words")), name="n.pdf")
    assert services.extract_document_text(document.pk, 1) == "stale"
    assert services.extract_document_text(document.pk, 2) == ExtractionStatus.DONE
    document.refresh_from_db()
    assert "New words" in document.extracted_text


def test_downloads_are_counted_and_private_ones_audited(client, active, editor):
    public = make_library_document("Public", actor=editor)
    private = make_library_document("Network only", level=AccessLevel.NETWORK, actor=editor)
    client.force_login(active)
    client.get(reverse("library:document_download", args=[public.pk]))
    client.get(reverse("library:document_download", args=[public.pk]))
    client.get(reverse("library:document_download", args=[private.pk]))
    public.refresh_from_db()
    private.refresh_from_db()
    assert public.download_count == 2
    assert private.download_count == 1
    downloads = AuditEntry.objects.filter(action=AuditAction.DOCUMENT_DOWNLOADED)
    assert [(entry.object_id, entry.actor_id) for entry in downloads] == [(str(private.pk), active.pk)]


def test_access_change_is_audited(editor):
    document = make_library_document("Guidance", actor=editor)
    services.update_document(document, actor=editor, access_level=AccessLevel.COMMUNITY)
    assert AuditEntry.objects.filter(action=AuditAction.DOCUMENT_ACCESS_CHANGED, object_id=str(document.pk)).exists()
