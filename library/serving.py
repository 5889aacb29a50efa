"""How a library file leaves the server, once library.permissions has said yes: streamed by Django
(FileResponse, the default) or handed to nginx with X-Accel-Redirect when LIBRARY_X_ACCEL_REDIRECT_PREFIX is
set. Either way the browser is told not to sniff the type nor run anything in it, and only PDFs open inline.
"""

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse

from library.files import CONTENT_TYPES

# A served file runs nothing and loads nothing, even if a browser renders it (a PDF viewer, an image).
FILE_CSP = "sandbox; default-src 'none'"
INLINE_EXTENSIONS = frozenset({"pdf"})


def _disposition(filename: str, extension: str) -> str:
    kind = "inline" if extension in INLINE_EXTENSIONS else "attachment"
    ascii_name = filename.encode("ascii", "ignore").decode() or f"document.{extension}"
    ascii_name = ascii_name.replace('"', "").replace("\\", "")
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def file_response(field_file, *, filename: str, extension: str, public: bool) -> HttpResponse:
    """The response carrying one stored file (a document's file, an earlier version, a preview image)."""
    content_type = CONTENT_TYPES.get(extension, "application/octet-stream")
    storage = field_file.storage
    if not field_file.name or not storage.exists(field_file.name):
        raise Http404
    prefix = settings.LIBRARY_X_ACCEL_REDIRECT_PREFIX
    if prefix:
        # nginx serves the bytes from its internal location (README: "Serving library files with nginx").
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(field_file.name)
    else:
        response = FileResponse(storage.open(field_file.name, "rb"), content_type=content_type)
        response["Content-Length"] = storage.size(field_file.name)
    response["Content-Disposition"] = _disposition(filename, extension)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    # Shared caches never keep a restricted file; browsers keep a copy only for the person who opened it.
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response
