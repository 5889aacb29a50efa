"""The inbound webhook: a mail provider (or a relay) posts each message sent to a reply address here.

Its answer is for the mail server, not for people: 200 with {"accepted": …, "reason": …} once the message
is handled, posted or bounced (the sender hears why by email; the server must not retry), 403 for a wrong
secret, 413 for a message over 10 MB, and 404 while FORUMS_INBOUND_SECRET is unset.
"""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseNotFound, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt

from forums.email_replies import receive_reply_email

logger = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 10 * 1024 * 1024
FORM_TYPES = {"multipart/form-data", "application/x-www-form-urlencoded"}


class MessageTooLarge(Exception):  # noqa: N818 - reads as the condition
    pass


def _refusal(status: int, reason: str) -> JsonResponse:
    return JsonResponse({"accepted": False, "reason": reason}, status=status)


@csrf_exempt  # called by a mail server with a shared secret, never by a browser holding a session
def receive_email(request: HttpRequest) -> HttpResponse:
    secret = settings.FORUMS_INBOUND_SECRET
    if not secret:
        # Without a language prefix, LocaleMiddleware would turn a 404 into a redirect to /en/… (Wagtail's page
        # catch-all routes every path there); measured against this URLconf, which has no i18n patterns, the
        # disabled endpoint answers a plain 404.
        request.urlconf = "forums.urls_inbound"
        return HttpResponseNotFound("Not found", content_type="text/plain")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not _is_authorized(request, secret):
        return _refusal(403, "forbidden")
    try:
        raw = _read_message(request)
    except MessageTooLarge:
        return _refusal(413, "too_large")
    except (MultiPartParserError, SuspiciousOperation, UnicodeError, ValueError):
        return _refusal(400, "unreadable")
    if raw is None:
        return _refusal(400, "no_message")
    outcome = receive_reply_email(raw)
    return JsonResponse({"accepted": outcome.accepted, "reason": outcome.reason})


def _is_authorized(request: HttpRequest, secret: str) -> bool:
    """`Authorization: Bearer <secret>`, or `?key=<secret>` for providers that only take a URL."""
    scheme, _space, value = request.headers.get("Authorization", "").partition(" ")
    supplied = [value.strip() if scheme.lower() == "bearer" else "", request.GET.get("key", "")]
    return any(candidate and constant_time_compare(candidate, secret) for candidate in supplied)


def _read_message(request: HttpRequest) -> bytes | None:
    """The raw RFC 822 message: the request body, or the form field (or file) `message`."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_MESSAGE_BYTES:
        raise MessageTooLarge
    if request.content_type in FORM_TYPES:
        try:
            upload = request.FILES.get("message")
            if upload is not None:
                return upload.read()
            value = request.POST.get("message")
        except RequestDataTooBig as error:
            # A text field above DATA_UPLOAD_MAX_MEMORY_SIZE; a file field takes the full 10 MB.
            raise MessageTooLarge from error
        return value.encode("utf-8") if value else None
    # Read the stream, not request.body: request.body stops at DATA_UPLOAD_MAX_MEMORY_SIZE (5 MB).
    raw = request.read(MAX_MESSAGE_BYTES + 1)
    if len(raw) > MAX_MESSAGE_BYTES:
        raise MessageTooLarge
    return raw or None
