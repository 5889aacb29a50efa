"""What a post may carry as an attachment: the site's private-file rules (network.files: type read from the
content and agreeing with the extension, zips measured before they are opened), with a smaller size limit."""

import os
import re

from django.core.exceptions import ValidationError

from network import files

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def clean_name(name: str) -> str:
    base = os.path.basename(name or "").strip() or "attachment"
    return re.sub(r"[^\w.\- ()]+", "_", base)[:150]


def check(upload) -> files.CheckedFile:
    """The checked type of the upload, or ValueError with the message for the member."""
    try:
        return files.check_upload(upload, upload.name, max_bytes=MAX_ATTACHMENT_BYTES)
    except ValidationError as error:
        raise ValueError(error.messages[0]) from error
