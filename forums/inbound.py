"""Replies by email: the reply-to address a notification carries, and the parsing of the message that comes
back. Pure functions, no database: the service that posts the reply checks the member and the topic.

The token in `reply+<token>@<domain>` must survive mail systems that change the case of the local part and
limit it to 64 characters, so it is not `signing.dumps` output (base64, case-sensitive, long) but lowercase
base32 of a compact payload (user id, topic id, issue time) followed by a truncated HMAC computed with
Django's Signer (so SECRET_KEY_FALLBACKS keep rotated keys valid for a while).
"""

import base64
import binascii
import email
import email.policy
import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage as MimeMessage
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare
from mailparser_reply.parser import EmailMessage as ReplyText

SALT = "forums.reply"
SIGNATURE_BYTES = 10  # 80 bits, 16 base32 characters
SIGNATURE_CHARS = 16
DEFAULT_TOKEN_DAYS = 60
REPLY_ADDRESS_RE = re.compile(r"^reply\+([a-z2-7]+)@", re.IGNORECASE)


class BadReplyToken(ValueError):  # noqa: N818 - the name the callers use
    """The token of a reply address is not one we issued, or has expired."""


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=").lower()


def _unb32(text: str) -> bytes:
    return base64.b32decode(text.upper() + "=" * (-len(text) % 8))


def _varints(*numbers: int) -> bytes:
    out = bytearray()
    for number in numbers:
        if number < 0:
            raise ValueError("reply tokens carry non-negative integers only")
        while True:
            byte, number = number & 0x7F, number >> 7
            out.append(byte | (0x80 if number else 0))
            if not number:
                break
    return bytes(out)


def _read_varints(data: bytes) -> list[int]:
    numbers, number, shift = [], 0, 0
    for byte in data:
        number |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            numbers.append(number)
            number, shift = 0, 0
        elif shift > 63:
            raise ValueError("integer too long")
    if shift:
        raise ValueError("truncated integer")
    return numbers


def _signature(payload: str, key: str | bytes | None = None) -> str:
    # Signer.signature is URL-safe base64 (case-sensitive): decode it and keep the first bytes in base32.
    signed = signing.Signer(salt=SALT).signature(payload, key=key)
    digest = base64.urlsafe_b64decode(signed + "=" * (-len(signed) % 4))
    return _b32(digest[:SIGNATURE_BYTES])[:SIGNATURE_CHARS]


def make_reply_token(user_id: int, topic_id: int, *, issued_at: datetime | None = None) -> str:
    """The lowercase token of a reply address for this member and topic (`issued_at` defaults to now)."""
    timestamp = int(issued_at.timestamp() if issued_at else time.time())
    payload = _b32(_varints(user_id, topic_id, timestamp))
    return payload + _signature(payload)


def reply_address(user_id: int, topic_id: int) -> str:
    """`reply+<token>@<domain>`: where a member's email reply to a topic notification goes."""
    domain = getattr(settings, "FORUMS_REPLY_DOMAIN", "") or urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname
    return f"reply+{make_reply_token(user_id, topic_id)}@{domain}"


def read_reply_token(token: str) -> tuple[int, int]:
    """(user id, topic id) of a token we issued; raises BadReplyToken if it was altered or has expired."""
    token = (token or "").strip().lower()
    payload, signature = token[:-SIGNATURE_CHARS], token[-SIGNATURE_CHARS:]
    if not payload or not re.fullmatch(r"[a-z2-7]+", token):
        raise BadReplyToken("This reply address is not valid.")
    signer = signing.Signer(salt=SALT)
    if not any(
        constant_time_compare(signature, _signature(payload, key)) for key in [signer.key, *signer.fallback_keys]
    ):
        raise BadReplyToken("This reply address is not valid.")
    try:
        user_id, topic_id, timestamp = _read_varints(_unb32(payload))
    except (ValueError, binascii.Error) as error:
        raise BadReplyToken("This reply address is not valid.") from error
    days = getattr(settings, "FORUMS_REPLY_TOKEN_DAYS", DEFAULT_TOKEN_DAYS)
    if time.time() - timestamp > days * 86400:
        raise BadReplyToken("This reply address has expired: reply from the topic's page instead.")
    return user_id, topic_id


@dataclass
class InboundMessage:
    sender: str
    recipients: list[str] = field(default_factory=list)
    token: str | None = None
    subject: str = ""
    message_id: str = ""
    new_text: str = ""
    auto_submitted: bool = False


class _HtmlText(HTMLParser):
    """An HTML body as text: line breaks for blocks, "> " before quoted (blockquote) lines."""

    BLOCKS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "pre", "hr"}
    SKIPPED = {"script", "style", "head", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.depth = 0  # blockquote nesting
        self.skipping = 0

    def _break(self):
        self.lines.append("")

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag == "br":
            self._break()
        elif tag == "blockquote":
            self._break()
            self.depth += 1
        elif tag in self.BLOCKS and self.lines[-1].strip():
            self._break()

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "blockquote":
            self.depth = max(0, self.depth - 1)
            self._break()
        elif tag == "p":
            self._break()
            self._break()  # a paragraph ends with a blank line, as in Markdown
        elif tag in self.BLOCKS:
            self._break()

    def handle_data(self, data):
        if self.skipping:
            return
        for number, piece in enumerate(re.split(r"[\r\n]+", data)):
            if number:
                self.lines[-1] += " "  # a newline in HTML source is a space
            if not self.lines[-1] and self.depth:
                self.lines[-1] = "> " * self.depth
            self.lines[-1] += piece.replace("\xa0", " ")

    def text(self) -> str:
        lines = [re.sub(r"[ \t]+", " ", line).strip() for line in self.lines]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(body: str) -> str:
    parser = _HtmlText()
    parser.feed(body)
    parser.close()
    return parser.text()


def _body_text(message: MimeMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    if part is not None:
        return part.get_content()
    part = message.get_body(preferencelist=("html",))
    if part is not None:
        return html_to_text(part.get_content())
    return ""


# Fallback cuts, for what the reply parser misses: an attribution line (possibly wrapped over two lines)
# and the start of a forwarded or Outlook header block.
_ATTRIBUTION_RE = re.compile(
    r"^(?:On\s[^\n]{0,200}(?:\n[^\n]{0,200})?\bwrote\s*:|Le\s[^\n]{0,200}(?:\n[^\n]{0,200})?\ba\s+écrit\s*:"
    r"|-{2,}\s*Original Message\s*-{2,}|-{2,}\s*Message d'origine\s*-{2,}|_{20,})[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_SIGNATURE_RE = re.compile(r"^-- ?$", re.MULTILINE)


def _restore_indentation(original: str, stripped: str) -> str:
    """The reply parser strips every line; find its lines in the original to keep Markdown indentation."""
    wanted = stripped.split("\n")
    lines = original.split("\n")
    for start in range(len(lines) - len(wanted) + 1):
        if [line.strip() for line in lines[start : start + len(wanted)]] == wanted:
            return "\n".join(line.rstrip() for line in lines[start : start + len(wanted)])
    return stripped


def extract_new_text(text: str) -> str:
    """The reply written above the quoted history, without signature."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # The RFC 3676 signature delimiter "-- " ends the new text (the parser only sees "--" once lines are
    # stripped, and would also take a Markdown list item "- x" for a signature without keep_hyphen_lists).
    signature = _SIGNATURE_RE.search(text)
    if signature:
        text = text[: signature.start()]
    replies = ReplyText(text=text, languages=["en", "fr"], keep_hyphen_lists=True).read().replies
    first = replies[0] if replies else None
    # A first part with headers means the message starts with the quoted history: nothing new was written.
    new = "" if first is None or first.headers else _restore_indentation(text, first.body)
    attribution = _ATTRIBUTION_RE.search(new)
    if attribution:
        new = new[: attribution.start()]
    lines = new.rstrip().split("\n")
    while lines and (lines[-1].startswith(">") or not lines[-1].strip()):
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines)


def _addresses(message: MimeMessage, *headers: str) -> list[str]:
    values = [str(value) for header in headers for value in message.get_all(header, [])]
    found: dict[str, None] = {}
    for _name, address in getaddresses(values):
        if address and "@" in address:
            found.setdefault(address.strip().lower(), None)
    return list(found)


def _is_automatic(message: MimeMessage, sender: str) -> bool:
    # RFC 3834: anything but "Auto-Submitted: no" was sent by a program; so are list and bulk mail, bounces
    # (empty return path, multipart/report) and mail from the mail system itself.
    auto_submitted = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    return_path = str(message.get("Return-Path", "")).strip()
    local_part = sender.split("@", 1)[0]
    return (
        not sender
        or auto_submitted != "no"
        or precedence in {"bulk", "junk", "list", "auto_reply"}
        or return_path == "<>"
        or bool(message.get("X-Autoreply") or message.get("X-Autorespond"))
        or message.get_content_type() == "multipart/report"
        or local_part in {"mailer-daemon", "postmaster"}
    )


def parse_inbound_message(raw: bytes) -> InboundMessage:
    """Who sent a reply, to which reply address, and the new text it adds (quoted history and signature
    cut). `auto_submitted` is True for auto-replies, bounces and list mail, which must never be posted."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    sender = parseaddr(str(message.get("From", "")))[1].strip().lower()
    recipients = _addresses(message, "To", "Cc", "Delivered-To", "X-Original-To")
    token = next((match.group(1).lower() for r in recipients if (match := REPLY_ADDRESS_RE.match(r))), None)
    return InboundMessage(
        sender=sender,
        recipients=recipients,
        token=token,
        subject=str(message.get("Subject", "")).strip(),
        message_id=str(message.get("Message-ID", "")).strip(),
        new_text=extract_new_text(_body_text(message)),
        auto_submitted=_is_automatic(message, sender),
    )
