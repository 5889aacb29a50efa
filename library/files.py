"""Which files the library takes: the type is read from the content (puremagic's magic bytes, and for the
Office and OpenDocument formats the zip's own table of contents) and must agree with the extension, against an
allow-list; the size is bounded, and a zip is measured before anything opens it (a zip bomb renamed .docx is
refused by its declared sizes, never inflated).

Pure functions of a file object: the forums' attachments and the Wagtail admin call the same checks.
"""

import os
import zipfile
from dataclasses import dataclass

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "txt": "text/plain; charset=utf-8",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
ALLOWED_EXTENSIONS = tuple(CONTENT_TYPES)
# The member of the zip that each Office or OpenDocument format must have.
ZIP_FORMATS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
    "odt": "content.xml",
}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# What puremagic calls the formats recognised by their first bytes.
MAGIC_EXTENSIONS = {"pdf": {".pdf"}, "png": {".png"}, "jpg": {".jpg", ".jpeg"}, "jpeg": {".jpg", ".jpeg"}}
# Text that a browser would run or render as markup is not plain text, whatever its name.
MARKUP_STARTS = (b"<", b"\xef\xbb\xbf<")
HEAD_BYTES = 8192


def max_upload_bytes() -> int:
    return settings.LIBRARY_MAX_UPLOAD_BYTES


@dataclass(frozen=True)
class CheckedFile:
    extension: str
    content_type: str
    size: int


def allowed_types_text() -> str:
    return _("PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX), OpenDocument text (ODT), plain text, PNG or JPEG")


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def extension_of(name: str) -> str:
    base = os.path.basename(name or "")
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def check_upload(fileobj, name: str) -> CheckedFile:
    """The checked type of an uploaded file, or ValidationError with a message for the person uploading it.

    `fileobj` is read from its start and left there; nothing is decompressed.
    """
    shown = os.path.basename(name or "") or _("The file")
    size = getattr(fileobj, "size", None)
    if size is None:
        fileobj.seek(0, os.SEEK_END)
        size = fileobj.tell()
    if size > max_upload_bytes():
        raise _refuse(
            _("“%(name)s” is %(size)s: the library takes files up to %(max)s.")
            % {"name": shown, "size": filesizeformat(size), "max": filesizeformat(max_upload_bytes())},
            "too_large",
        )
    if size == 0:
        raise _refuse(_("“%(name)s” is empty.") % {"name": shown}, "empty")
    extension = extension_of(name)
    if extension not in CONTENT_TYPES:
        raise _refuse(
            _("“%(name)s” is not a file type the library takes. Upload a %(types)s file.")
            % {"name": shown, "types": allowed_types_text()},
            "extension",
        )
    fileobj.seek(0)
    head = fileobj.read(HEAD_BYTES)
    fileobj.seek(0)
    mismatch = _refuse(
        _(
            "“%(name)s” is named .%(extension)s but its content is not a %(kind)s file. "
            "Upload the document itself, saved in one of these formats: %(types)s."
        )
        % {"name": shown, "extension": extension, "kind": extension.upper(), "types": allowed_types_text()},
        "content",
    )
    if extension in MAGIC_EXTENSIONS:
        if not _magic_matches(head, MAGIC_EXTENSIONS[extension]):
            raise mismatch
    elif extension in ZIP_FORMATS:
        if not head.startswith(b"PK\x03\x04"):
            raise mismatch
        _check_zip(fileobj, extension, shown, mismatch)
    else:  # txt
        _check_plain_text(head, len(head) < size, mismatch)
    return CheckedFile(extension=extension, content_type=CONTENT_TYPES[extension], size=size)


def _magic_matches(head: bytes, extensions: set[str]) -> bool:
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        return False
    # Only a signature at the very start counts: "%PDF" after an HTML page is still an HTML page.
    return any(match.extension in extensions and match.offset == 0 for match in matches)


def _check_plain_text(head: bytes, truncated: bool, mismatch: ValidationError) -> None:
    if b"\x00" in head or head.lstrip().startswith(MARKUP_STARTS):
        raise mismatch
    # A multi-byte character may be cut at the end of what was read.
    sample = head[:-4] if truncated else head
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        raise mismatch from error


def _check_zip(fileobj, extension: str, shown: str, mismatch: ValidationError) -> None:
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise mismatch from error
    try:
        members = archive.infolist()
        if len(members) > settings.LIBRARY_ZIP_MAX_MEMBERS:
            raise _refuse(
                _("“%(name)s” holds %(count)s files inside it, more than a document ever needs: it was refused.")
                % {"name": shown, "count": len(members)},
                "zip_members",
            )
        # The sizes the zip declares: reading more than them fails (zipfile checks), so they bound the work.
        uncompressed = sum(member.file_size for member in members)
        compressed = sum(member.compress_size for member in members)
        if (
            uncompressed > settings.LIBRARY_ZIP_MAX_UNCOMPRESSED_BYTES
            or uncompressed > max(compressed, 1) * settings.LIBRARY_ZIP_MAX_RATIO
            and uncompressed > 1024 * 1024
        ):
            raise _refuse(
                _(
                    "“%(name)s” would expand to %(size)s when opened, far more than its own size: "
                    "it looks like a zip bomb and was refused."
                )
                % {"name": shown, "size": filesizeformat(uncompressed)},
                "zip_bomb",
            )
        names = {member.filename for member in members}
        if ZIP_FORMATS[extension] not in names:
            raise mismatch
        if extension == "odt":
            if "mimetype" not in names or archive.getinfo("mimetype").file_size > 100:
                raise mismatch
            if archive.read("mimetype").strip() != ODT_MIMETYPE:
                raise mismatch
    finally:
        archive.close()
        fileobj.seek(0)


def check_document_file(document) -> None:
    """Model validation of a library document: a newly chosen file passes `check_upload`."""
    file = document.file
    if not file or getattr(file, "_committed", True):
        return
    try:
        check_upload(file.file, file.name)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
