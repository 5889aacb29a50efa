"""Every write to membership data goes through these functions."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone

from network.choices import EmailState
from network.models import Member, MissionService, OutboundEmail, User

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5


def ensure_member_profile(user: User) -> Member:
    """Give a user their (empty, private) membership profile if they have none yet."""
    member, _created = Member.objects.get_or_create(user=user)
    return member


@transaction.atomic
def update_member_profile(
    member: Member,
    *,
    actor: User,
    first_name: str,
    last_name: str,
    fields: dict,
    languages,
    expertise,
    visibility: dict[str, str],
    missions: list[dict],
) -> Member:
    """Save a member's own profile: names, profile fields, audiences and the missions they served in."""
    if member.user_id != actor.pk:
        raise PermissionDenied
    user = member.user
    user.first_name, user.last_name = first_name, last_name
    user.save(update_fields=["first_name", "last_name"])
    old_photo = member.photo.name if member.photo else ""
    for name, value in fields.items():
        setattr(member, name, value)
    member.visibility = {field: visibility[field] for field in Member.VISIBLE_FIELDS if field in visibility}
    member.save()
    member.languages.set(languages)
    member.expertise.set(expertise)
    member.missions.all().delete()
    MissionService.objects.bulk_create(MissionService(member=member, **mission) for mission in missions)
    new_photo = member.photo.name if member.photo else ""
    if old_photo and old_photo != new_photo:
        storage = member.photo.storage
        transaction.on_commit(lambda: storage.delete(old_photo))
    return member


def queue_email(message: EmailMessage) -> OutboundEmail:
    """Store one message and hand it to a Celery worker once the surrounding transaction commits."""
    from network.tasks import deliver_email

    html_body = ""
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html_body = content
    email = OutboundEmail.objects.create(
        subject=str(message.subject),
        from_email=str(message.from_email or settings.DEFAULT_FROM_EMAIL),
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        headers={str(k): str(v) for k, v in (message.extra_headers or {}).items()},
        body=str(message.body),
        html_body=html_body,
    )
    deliver_email.delay_on_commit(email.pk)
    return email


def deliver_queued_email(email_id: int) -> bool:
    """Send a stored email once. Returns False when it was already sent (a redelivered task).

    A failed attempt is recorded on the row and the error re-raised so that the task retries.
    """
    failure: Exception | None = None
    with transaction.atomic():
        # The row lock makes two workers that got the same task wait for each other; the second sees SENT.
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.state == EmailState.SENT:
            return False
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.body,
            from_email=email.from_email,
            to=email.to,
            cc=email.cc,
            bcc=email.bcc,
            reply_to=email.reply_to,
            headers=email.headers,
            connection=get_connection(settings.EMAIL_DELIVERY_BACKEND),
        )
        if email.html_body:
            message.attach_alternative(email.html_body, "text/html")
        email.attempts += 1
        try:
            message.send()
        except Exception as error:  # noqa: BLE001 - any transport error is recorded and retried
            failure = error
            email.last_error = f"{type(error).__name__}: {error}"
            if email.attempts >= MAX_EMAIL_ATTEMPTS:
                email.state = EmailState.FAILED
                logger.error("Giving up on email %s after %s attempts: %s", email.pk, email.attempts, error)
        else:
            email.state = EmailState.SENT
            email.sent_at = timezone.now()
        email.save(update_fields=["state", "attempts", "last_error", "sent_at"])
    if failure is not None:
        raise failure
    return True


def ensure_staff_groups() -> None:
    """Create the staff role groups with the Wagtail permissions each role needs (idempotent)."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission, Page

    from network.choices import StaffRole

    access_admin = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin").first()
    if access_admin is None:  # wagtailadmin not migrated yet
        return
    for role in StaffRole:
        group, _created = Group.objects.get_or_create(name=role.value)
        group.permissions.add(access_admin)
    # Editors keep the pages current themselves, so they may publish (Wagtail's default Editors may not).
    root = Page.get_first_root_node()
    publish = Permission.objects.filter(content_type__app_label="wagtailcore", codename="publish_page").first()
    if root is not None and publish is not None:
        GroupPagePermission.objects.get_or_create(
            group=Group.objects.get(name=StaffRole.EDITOR.value), page=root, permission=publish
        )
