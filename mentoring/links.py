"""Signed one-click links in mentoring emails (accept, decline, "we met").

A link names the mentorship, the action, the person it was sent to and a random nonce, signed with the
site's key. Opening it (GET) only shows a confirmation page with a button; the action happens on POST, once:
the nonce is stored as used in the transaction of the action (`UsedLink`). Links expire after
LINK_MAX_AGE_DAYS; an accept link is of no use after the request's deadline anyway.
"""

import secrets
from dataclasses import dataclass

from django.core import signing
from django.urls import reverse

from mentoring.choices import LinkAction
from network.services.templated_mail import site_address

SALT = "mentoring.link"
LINK_MAX_AGE_DAYS = 21


class InvalidLink(Exception):
    """Tampered, expired or unknown."""


@dataclass(frozen=True)
class Link:
    mentorship_id: int
    action: str
    user_id: int
    nonce: str


def make_token(mentorship, action: str, user) -> str:
    return signing.dumps(
        {"m": mentorship.pk, "a": action, "u": user.pk, "n": secrets.token_hex(16)}, salt=SALT, compress=True
    )


def link_url(mentorship, action: str, user) -> str:
    return site_address() + reverse("mentoring:email_link", args=[make_token(mentorship, action, user)])


def read_token(token: str) -> Link:
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE_DAYS * 24 * 3600)
        link = Link(int(data["m"]), str(data["a"]), int(data["u"]), str(data["n"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise InvalidLink from error
    if link.action not in LinkAction.values or len(link.nonce) != 32:
        raise InvalidLink
    return link
