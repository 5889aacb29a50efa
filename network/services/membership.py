"""Membership: category changes with history, renewal of memberships, renewal reminders and lapse notices."""

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from network.choices import AuditAction, MemberCategory
from network.models import CategoryChange, Member, RenewalReminder, User
from network.services.audit import record_audit
from network.services.community import recheck_community_access
from network.services.membership_email import send_member_email

# Reminders go out this many days before a membership expires; 0 marks the notice sent once it has lapsed.
RENEWAL_REMINDER_DAYS = (30, 7)
LAPSE_NOTICE = 0
# A lapse older than this is not announced any more (e.g. old expiry dates brought in by an import).
LAPSE_NOTICE_WINDOW_DAYS = 30


class MembershipError(Exception):
    """A membership change that cannot be made as asked; the message is meant for the person who asked."""


def membership_term_end(start: date | None = None) -> date | None:
    """When a membership admitted or renewed today ends, or None when memberships do not expire."""
    days = getattr(settings, "MEMBERSHIP_TERM_DAYS", 730)
    if not days:
        return None
    return (start or timezone.localdate()) + timedelta(days=days)


def _check_actor_may_manage(actor: User | None) -> None:
    from network.permissions import check_can_review_applications

    # No actor means the system itself (a task or a management command).
    if actor is not None:
        check_can_review_applications(actor)


@transaction.atomic
def change_member_category(
    member: Member, category: str, *, actor: User | None, reason: str, audit_details: dict | None = None
) -> CategoryChange | None:
    """Move a member to another category (or admit them); records the history and an audit entry.

    Every community access the new category does not allow is revoked. Returns None when nothing changed.
    """
    _check_actor_may_manage(actor)
    if category not in MemberCategory.values:
        raise MembershipError("Unknown category.")
    locked = Member.objects.select_for_update().select_related("user").get(pk=member.pk)
    if locked.category == category:
        return None
    previous = locked.category
    change = CategoryChange.objects.create(
        member=locked, from_category=previous, to_category=category, actor=actor, reason=reason
    )
    locked.category = category
    locked.save(update_fields=["category", "updated_at"])
    # Keep the caller's instance in step: views and services go on using it.
    member.category = category
    member.__dict__.pop("_has_community_access", None)
    record_audit(
        AuditAction.CATEGORY_CHANGED,
        actor=actor,
        subject=locked.user,
        target=locked,
        reason=reason,
        details={"from": previous, "to": category, **(audit_details or {})},
    )
    recheck_community_access(locked, actor=actor, reason=reason)
    return change


@transaction.atomic
def renew_membership(member: Member, *, actor: User | None, until: date, reason: str = "") -> Member:
    """Extend a membership until the given date; an audit entry records the old and new expiry."""
    _check_actor_may_manage(actor)
    if until <= timezone.localdate():
        raise MembershipError("The new expiry date must be in the future.")
    locked = Member.objects.select_for_update().select_related("user").get(pk=member.pk)
    if not locked.category:
        raise MembershipError("Only admitted members can be renewed.")
    previous = locked.membership_expires_on
    locked.membership_expires_on = until
    locked.save(update_fields=["membership_expires_on", "updated_at"])
    member.membership_expires_on = until
    record_audit(
        AuditAction.MEMBERSHIP_RENEWED,
        actor=actor,
        subject=locked.user,
        target=locked,
        reason=reason,
        details={"from": previous.isoformat() if previous else None, "to": until.isoformat()},
    )
    return locked


@transaction.atomic
def renew_own_membership(member: Member, *, actor: User) -> Member:
    """The member renews her membership for another term while renewal is open to her; audited."""
    from network.permissions import can_renew_own_membership

    if member.user_id != actor.pk:
        raise MembershipError(_("This is not your membership."))
    locked = Member.objects.select_for_update().get(pk=member.pk)
    until = default_renewal_date(locked)
    if not can_renew_own_membership(locked) or until is None:
        raise MembershipError(_("Your membership cannot be renewed from this page; please write to the officers."))
    previous = locked.membership_expires_on
    locked.membership_expires_on = until
    locked.save(update_fields=["membership_expires_on", "updated_at"])
    member.membership_expires_on = until
    record_audit(
        AuditAction.MEMBERSHIP_RENEWED,
        actor=actor,
        subject=actor,
        target=locked,
        details={"from": previous.isoformat(), "to": until.isoformat(), "by_member": True},
    )
    return locked


def default_renewal_date(member: Member) -> date | None:
    """A renewal continues from the current expiry if it is still ahead, else from today."""
    today = timezone.localdate()
    start = (
        member.membership_expires_on if member.membership_expires_on and member.membership_expires_on > today else today
    )
    return membership_term_end(start)


def _members_due(today: date, days_before: int):
    """Admitted, active members whose expiry falls in the window of one reminder and who did not get it yet."""
    if days_before == LAPSE_NOTICE:
        window = Q(
            membership_expires_on__lt=today,
            membership_expires_on__gte=today - timedelta(days=LAPSE_NOTICE_WINDOW_DAYS),
        )
    else:
        # The window reaches back to the next smaller reminder, so a day the beat missed is caught up
        # without sending both reminders at once.
        smaller = max((days for days in RENEWAL_REMINDER_DAYS if days < days_before), default=None)
        window = Q(membership_expires_on__lte=today + timedelta(days=days_before))
        if smaller is None:
            window &= Q(membership_expires_on__gte=today)
        else:
            window &= Q(membership_expires_on__gt=today + timedelta(days=smaller))
    already_sent = RenewalReminder.objects.filter(
        member_id=OuterRef("pk"), expires_on=OuterRef("membership_expires_on"), days_before=days_before
    )
    return (
        Member.objects.exclude(category="")
        .filter(window, user__is_active=True)
        .exclude(Exists(already_sent))
        .select_related("user")
    )


def send_renewal_reminder(member: Member, *, days_before: int, today: date | None = None) -> bool:
    """Send one reminder (or the lapse notice) for the member's current expiry, at most once.

    The RenewalReminder row and the email are written in one transaction; the unique key makes a second
    run (or a second worker) skip it. Returns whether this call sent it.
    """
    today = today or timezone.localdate()
    expires_on = member.membership_expires_on
    if expires_on is None:
        return False
    try:
        with transaction.atomic():
            RenewalReminder.objects.create(member=member, expires_on=expires_on, days_before=days_before)
            if days_before == LAPSE_NOTICE:
                record_audit(
                    AuditAction.MEMBERSHIP_LAPSED,
                    actor=None,
                    subject=member.user,
                    target=member,
                    details={"expired_on": expires_on.isoformat()},
                )
                template = "membership_lapsed"
            else:
                template = "membership_renewal_reminder"
            send_member_email(
                member.user,
                template,
                {"member": member, "expires_on": expires_on, "days_left": (expires_on - today).days},
            )
    except IntegrityError:
        return False
    return True


def send_renewal_reminders(today: date | None = None) -> int:
    """Send every reminder due today (30 and 7 days before expiry) and the lapse notices; returns how many."""
    today = today or timezone.localdate()
    sent = 0
    for days_before in (*RENEWAL_REMINDER_DAYS, LAPSE_NOTICE):
        for member in _members_due(today, days_before):
            sent += send_renewal_reminder(member, days_before=days_before, today=today)
    return sent
