"""Editors upload and edit documents in the Wagtail admin: the library's fields are on the form, the file is
checked as everywhere, and a new file keeps the earlier one as a version."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Collection

from library.models import Document, Topic
from network.choices import AccessLevel, AuditAction
from network.models import AuditEntry
from tests.factories.library import make_library_document, pdf_bytes

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "title": "SGBV investigation curriculum",
        "collection": Collection.get_first_root_node().pk,
        "summary": "Ten sessions on interviewing survivors.",
        "document_type": "curriculum",
        "topics": [Topic.objects.get(slug="sgbv-prevention-investigation").pk],
        "language": "en",
        "year": "2019",
        "author": "Police Division",
        "access_level": AccessLevel.NETWORK,
        "tags": "",
    }
    data.update(overrides)
    return data


def test_editor_uploads_a_document_with_library_fields(client, editor, django_capture_on_commit_callbacks):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtaildocs:add"),
            form_data(file=SimpleUploadedFile("curriculum.pdf", pdf_bytes("Interviewing survivors"))),
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    document = Document.objects.get(title="SGBV investigation curriculum")
    assert document.access_level == AccessLevel.NETWORK
    assert [topic.slug for topic in document.topics.all()] == ["sgbv-prevention-investigation"]
    assert document.versions.get().uploaded_by == editor
    document.refresh_from_db()
    assert "Interviewing survivors" in document.extracted_text


def test_admin_refuses_html_renamed_pdf_with_a_message_and_keeps_the_fields(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("wagtaildocs:add"),
        form_data(file=SimpleUploadedFile("curriculum.pdf", b"<html><script>alert(1)</script></html>")),
    )
    assert response.status_code == 200
    assert "its content is not a PDF file" in response.content.decode()
    assert "Ten sessions on interviewing survivors." in response.content.decode()
    assert not Document.objects.filter(title="SGBV investigation curriculum").exists()


def test_new_file_in_the_admin_keeps_the_earlier_version(client, editor, django_capture_on_commit_callbacks):
    document = make_library_document("Pilot report", data=pdf_bytes("First"), actor=editor)
    first_file = document.file.name
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtaildocs:edit", args=[document.pk]),
            form_data(title="Pilot report", file=SimpleUploadedFile("v2.pdf", pdf_bytes("Second"))),
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    document.refresh_from_db()
    assert [version.number for version in document.versions.all()] == [2, 1]
    assert document.file.storage.exists(first_file)
    assert document.versions.get(number=1).file.name == first_file
    assert AuditEntry.objects.filter(action=AuditAction.DOCUMENT_ACCESS_CHANGED, object_id=str(document.pk)).exists()


def test_member_cannot_open_the_document_admin(client, active):
    client.force_login(active)
    response = client.get(reverse("wagtaildocs:add"))
    assert response.status_code in (302, 403)


def test_editor_manages_topics(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("library_topics:add"),
        {"name": "Peacekeeping data", "name_fr": "Données", "slug": "data", "sort_order": 9},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Topic.objects.filter(slug="data").exists()
