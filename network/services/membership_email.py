"""Emails about a person's own membership (application decisions, renewal reminders), from templates."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from network.models import User


def site_url(path: str = "") -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_member_email(user: User, template: str, context: dict) -> None:
    """Send templates/network/email/<template>_subject.txt and _body.txt to the user only.

    Sent through Django's mail API, so it is stored and delivered by Celery once the transaction commits.
    """
    context = {
        "user": user,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "membership_url": site_url(reverse("network:my_membership")),
        **context,
    }
    subject = render_to_string(f"network/email/{template}_subject.txt", context)
    body = render_to_string(f"network/email/{template}_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
