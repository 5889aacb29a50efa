"""What a post may carry as an attachment: the type is read from the file's first bytes (filetype), never
from its name or the browser's word, and the size is bounded."""

import os
import re

import filetype
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "text/plain": "txt",
}
TEXT_EXTENSIONS = {"txt", "csv", "md"}


def clean_name(name: str) -> str:
    base = os.path.basename(name or "").strip() or "attachment"
    return re.sub(r"[^\w.\- ()]+", "_", base)[:150]


def sniff(upload: UploadedFile) -> str:
    """The content type of the upload, or raises ValueError with the message for the member."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValueError(
            _("“%(name)s” is larger than 10 MB. Share a smaller file, or a link to it.") % {"name": upload.name}
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None and kind.mime in ALLOWED_TYPES:
        return kind.mime
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if kind is None and extension in TEXT_EXTENSIONS and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return "text/plain"
    raise ValueError(
        _(
            "“%(name)s” is not a file type the forums take. Attach a PDF, an image (PNG, JPEG, WebP), a Word, Excel, PowerPoint or OpenDocument file, or plain text."
        )
        % {"name": upload.name}
    )
