"""Attachments: type read from the content, size bounded, served only to those who may read the post."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forums.models import Attachment
from tests.factories.forums import start_topic

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path, monkeypatch):
    storage = Attachment._meta.get_field("file").storage
    monkeypatch.setattr(storage, "location", str(tmp_path))
    monkeypatch.setattr(storage, "base_location", str(tmp_path))


def test_member_attaches_a_pdf_and_readers_download_it(client, alice, beatrice, forum):
    client.force_login(alice.user)
    client.post(
        reverse("forums:new_topic", args=[forum.slug]),
        {
            "title": "Referral path template",
            "body": "Here is ours.",
            "action": "post",
            "attachment": SimpleUploadedFile("referral path.pdf", PDF, content_type="application/pdf"),
        },
    )
    attachment = Attachment.objects.get()
    client.force_login(beatrice.user)

    response = client.get(reverse("forums:attachment", args=[attachment.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="referral path.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "private, no-store" in response["Cache-Control"]


def test_behind_nginx_the_attachment_is_handed_over_after_the_check(client, alice, beatrice, outsider, forum, settings):
    settings.PRIVATE_FILES_X_ACCEL_REDIRECT_PREFIX = "/protected/"
    start_topic(alice, forum)
    from forums import services
    from forums.models import Topic

    post = services.reply_to_topic(
        author=alice.user, topic=Topic.objects.get(), body="The file", attachments=[SimpleUploadedFile("a.pdf", PDF)]
    )
    attachment = post.attachments.get()
    client.force_login(beatrice.user)

    response = client.get(reverse("forums:attachment", args=[attachment.pk]))

    assert response["X-Accel-Redirect"] == f"/protected/{attachment.file.name}"
    assert response.content == b""
    client.force_login(outsider.user)
    assert "X-Accel-Redirect" not in client.get(reverse("forums:attachment", args=[attachment.pk]))


def test_zip_bomb_named_docx_is_refused_and_the_text_kept(client, alice, forum):
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (300 * 1024 * 1024))
    client.force_login(alice.user)

    response = client.post(
        reverse("forums:new_topic", args=[forum.slug]),
        {
            "title": "Lessons learned",
            "body": "My long post",
            "action": "post",
            "attachment": SimpleUploadedFile("lessons.docx", out.getvalue()),
        },
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "looks like a zip bomb" in body and "My long post" in body
    assert not Attachment.objects.exists()


def test_oversize_attachment_is_refused_with_the_limit(client, alice, forum, monkeypatch):
    from forums import attachments

    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 100)
    client.force_login(alice.user)

    response = client.post(
        reverse("forums:new_topic", args=[forum.slug]),
        {
            "title": "A big report",
            "body": "Kept",
            "action": "post",
            "attachment": SimpleUploadedFile("big.pdf", PDF + b"0" * 200),
        },
    )

    body = response.content.decode()
    assert response.status_code == 400 and "files here can be up to" in body and "Kept" in body


def test_file_named_pdf_that_is_html_is_refused_and_the_text_kept(client, alice, forum):
    client.force_login(alice.user)
    response = client.post(
        reverse("forums:new_topic", args=[forum.slug]),
        {
            "title": "Disguised file",
            "body": "Text-I-Typed",
            "action": "post",
            "attachment": SimpleUploadedFile(
                "report.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
            ),
        },
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "is named .pdf but its content is not a PDF file" in body and "Text-I-Typed" in body
    assert not Attachment.objects.exists()


def test_attachment_of_a_forum_she_cannot_read_is_not_found(client, alice, outsider, forum):
    start_topic(alice, forum)
    from forums import services
    from forums.models import Topic

    topic = Topic.objects.get()
    post = services.reply_to_topic(
        author=alice.user, topic=topic, body="The file", attachments=[SimpleUploadedFile("a.pdf", PDF)]
    )
    client.force_login(outsider.user)

    assert client.get(reverse("forums:attachment", args=[post.attachments.get().pk])).status_code == 403
    client.logout()
    assert client.get(reverse("forums:attachment", args=[post.attachments.get().pk])).status_code == 302
