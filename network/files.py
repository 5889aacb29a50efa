"""The private-file rules every upload and download of the site follows (library documents, forum
attachments, nomination letters): the type is read from the content (puremagic's magic bytes, and for the Office
and OpenDocument formats the zip's own table of contents) and must agree with the extension, against an
allow-list; the size is bounded, and a zip is measured before anything opens it (a zip bomb renamed .docx is
refused by its declared sizes, never inflated). A stored file leaves the server only once the caller's access
policy has said yes: streamed by Django (FileResponse, the default) or handed to nginx with X-Accel-Redirect when
PRIVATE_FILES_X_ACCEL_REDIRECT_PREFIX is set, never sniffed nor run by the browser.
"""

import os
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
TYPE_NAMES = {
    "pdf": gettext_lazy("PDF"),
    "docx": gettext_lazy("Word (DOCX)"),
    "xlsx": gettext_lazy("Excel (XLSX)"),
    "pptx": gettext_lazy("PowerPoint (PPTX)"),
    "odt": gettext_lazy("OpenDocument text (ODT)"),
    "txt": gettext_lazy("plain text"),
    "png": gettext_lazy("PNG"),
    "jpg": gettext_lazy("JPEG"),
}
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


@dataclass(frozen=True)
class CheckedFile:
    extension: str
    content_type: str
    size: int


def allowed_types_text(extensions=ALLOWED_EXTENSIONS) -> str:
    """“PDF, PNG or JPEG”: the allowed types as a person reads them."""
    names = list(dict.fromkeys(TYPE_NAMES["jpg" if ext == "jpeg" else ext] for ext in extensions))
    return str(get_text_list([str(name) for name in names], _("or")))


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def extension_of(name: str) -> str:
    base = os.path.basename(name or "")
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def check_upload(fileobj, name: str, *, max_bytes: int, extensions=ALLOWED_EXTENSIONS) -> CheckedFile:
    """The checked type of an uploaded file, or ValidationError with a message for the person uploading it:
    its extension is one of `extensions`, its content is of that type and it is at most `max_bytes` long.

    `fileobj` is read from its start and left there; nothing is decompressed.
    """
    shown = os.path.basename(name or "") or _("The file")
    size = getattr(fileobj, "size", None)
    if size is None:
        fileobj.seek(0, os.SEEK_END)
        size = fileobj.tell()
    if size > max_bytes:
        raise _refuse(
            _("“%(name)s” is %(size)s: files here can be up to %(max)s.")
            % {"name": shown, "size": filesizeformat(size), "max": filesizeformat(max_bytes)},
            "too_large",
        )
    if size == 0:
        raise _refuse(_("“%(name)s” is empty.") % {"name": shown}, "empty")
    extension = extension_of(name)
    types = allowed_types_text(extensions)
    if extension not in extensions:
        raise _refuse(
            _("“%(name)s” is not a file type taken here. Upload a %(types)s file.") % {"name": shown, "types": types},
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
        % {"name": shown, "extension": extension, "kind": extension.upper(), "types": types},
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
        if len(members) > settings.UPLOAD_ZIP_MAX_MEMBERS:
            raise _refuse(
                _("“%(name)s” holds %(count)s files inside it, more than a document ever needs: it was refused.")
                % {"name": shown, "count": len(members)},
                "zip_members",
            )
        # The sizes the zip declares: reading more than them fails (zipfile checks), so they bound the work.
        uncompressed = sum(member.file_size for member in members)
        compressed = sum(member.compress_size for member in members)
        if (
            uncompressed > settings.UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES
            or uncompressed > max(compressed, 1) * settings.UPLOAD_ZIP_MAX_RATIO
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


# A served file runs nothing and loads nothing, even if a browser renders it (a PDF viewer, an image).
FILE_CSP = "sandbox; default-src 'none'"
INLINE_EXTENSIONS = frozenset({"pdf"})


def _disposition(filename: str, extension: str, inline: bool) -> str:
    kind = "inline" if inline else "attachment"
    ascii_name = filename.encode("ascii", "ignore").decode() or f"document.{extension}"
    ascii_name = ascii_name.replace('"', "").replace("\\", "")
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def file_response(
    field_file, *, filename: str, extension: str, public: bool, inline: bool | None = None
) -> HttpResponse:
    """The response carrying one stored file (a document's file, an earlier version, a preview image, a forum
    attachment). Only PDFs open in the browser unless `inline` says otherwise."""
    content_type = CONTENT_TYPES.get(extension, "application/octet-stream")
    storage = field_file.storage
    if not field_file.name or not storage.exists(field_file.name):
        raise Http404
    prefix = settings.PRIVATE_FILES_X_ACCEL_REDIRECT_PREFIX
    if prefix:
        # nginx serves the bytes from its internal location (README: "Serving private files with nginx").
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(field_file.name)
    else:
        response = FileResponse(storage.open(field_file.name, "rb"), content_type=content_type)
        response["Content-Length"] = storage.size(field_file.name)
    if inline is None:
        inline = extension in INLINE_EXTENSIONS
    response["Content-Disposition"] = _disposition(filename, extension, inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    # Shared caches never keep a restricted file; browsers keep a copy only for the person who opened it.
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response
