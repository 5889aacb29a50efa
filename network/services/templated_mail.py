"""Emails to one person, written as templates under templates/network/email/."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from network.models import User


def site_address(request=None) -> str:
    """The site's address for links in emails: SITE_URL; unset (development), the address of the request being
    answered, so links work on whatever port the site is served; else the default address."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute_url(view_name: str, *args) -> str:
    """A full link for an email; emails are also sent from background tasks, where there is no request."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(view_name, args=args)


def send_templated_mail(template_prefix: str, context: dict, *, to: User) -> None:
    """Send `<prefix>_subject.txt` and `<prefix>_body.txt` to one user; queued for Celery on commit.

    Only the recipient's own address is used: no other member's address goes into the headers or the text,
    and there is no Reply-To, so replies cannot reach anyone but the site.
    """
    context = {"site_name": settings.WAGTAIL_SITE_NAME, **context}
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
    body = render_to_string(f"{template_prefix}_body.txt", context)
    send_mail(subject, body, None, [to.email])
