"""Which files the library takes: network.files' rules, with the library's size limit. The Wagtail admin's
document form calls the same check through the model's validation."""

from django.conf import settings
from django.core.exceptions import ValidationError

from network import files


def check_upload(fileobj, name: str) -> files.CheckedFile:
    return files.check_upload(fileobj, name, max_bytes=settings.LIBRARY_MAX_UPLOAD_BYTES)


def check_document_file(document) -> None:
    """Model validation of a library document: a newly chosen file passes `check_upload`."""
    file = document.file
    if not file or getattr(file, "_committed", True):
        return
    try:
        check_upload(file.file, file.name)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
