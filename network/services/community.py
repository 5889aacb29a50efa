"""Community of Practice access: requests, endorsements, decisions, review dates, lapse and revocation."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from network.choices import AuditAction, CommunityAccessState
from network.models import CommunityAccessRequest, CommunityEndorsement, Member, User
from network.models.community import OPEN_COMMUNITY_STATES
from network.services.audit import record_audit
from network.services.templated_mail import absolute_url, send_templated_mail


@transaction.atomic
def recheck_community_access(member: Member, *, actor: User | None, reason: str) -> int:
    """Revoke open or granted community access the member's category no longer allows; returns how many."""
    from network.permissions import NETWORK_CATEGORIES

    if member.category in NETWORK_CATEGORIES:
        return 0
    revoked = 0
    for access in CommunityAccessRequest.objects.select_for_update().filter(
        member=member, state__in=OPEN_COMMUNITY_STATES
    ):
        _end_access(access, member, actor=actor, reason=reason)
        revoked += 1
    member.__dict__.pop("_has_community_access", None)
    return revoked


def _end_access(access: CommunityAccessRequest, member: Member, *, actor: User | None, reason: str) -> None:
    """Revoke access (granted or still pending) now, with the reason the member reads; audited."""
    access.state = CommunityAccessState.REVOKED
    access.ended_at = timezone.now()
    access.decision_reason = reason
    access.save(update_fields=["state", "ended_at", "decision_reason"])
    record_audit(AuditAction.COMMUNITY_REVOKED, actor=actor, subject=member.user, target=access, reason=reason)


# Members hear this many days ahead that their access comes up for review.
REVIEW_REMINDER_DAYS = 14


def _locked(access_request: CommunityAccessRequest) -> CommunityAccessRequest:
    # The row lock makes two moderators deciding at once wait for each other; the second sees the decision.
    return (
        CommunityAccessRequest.objects.select_for_update(of=("self",))
        .select_related("member__user")
        .get(pk=access_request.pk)
    )


def _notify_member(access_request: CommunityAccessRequest, event: str, *, reason: str = "") -> None:
    send_templated_mail(
        "network/email/community_access",
        {
            "event": event,
            "name": access_request.member.display_name,
            "reason": reason,
            "review_on": access_request.review_on,
            "url": absolute_url("network:community_status"),
        },
        to=access_request.member.user,
    )


def _check_review_date(review_on: date | None) -> None:
    if review_on is not None and review_on <= timezone.localdate():
        raise ValidationError(_("The review date must be in the future."), code="review_date_past")


def _check_decider(access_request: CommunityAccessRequest, actor: User) -> None:
    from network.permissions import check_can_moderate_community

    check_can_moderate_community(actor)
    if access_request.member.user_id == actor.pk:
        raise PermissionDenied("Moderators do not decide on their own access.")


@transaction.atomic
def request_community_access(member: Member, *, actor: User, motivation: str) -> CommunityAccessRequest:
    """Ask to enter the Community of Practice; audited. Raises ValidationError if a request is already open."""
    from network.permissions import community_ineligibility

    if member.user_id != actor.pk or community_ineligibility(actor):
        raise PermissionDenied
    # Locking the member makes two simultaneous submissions queue; the partial unique constraint backs it up.
    Member.objects.select_for_update().filter(pk=member.pk).first()
    if CommunityAccessRequest.objects.filter(member=member, state__in=OPEN_COMMUNITY_STATES).exists():
        raise ValidationError(_("You already have a request waiting for a decision, or access."), code="open")
    try:
        with transaction.atomic():
            access_request = CommunityAccessRequest.objects.create(member=member, motivation=motivation)
    except IntegrityError:
        raise ValidationError(_("You already have a request waiting for a decision, or access."), code="open") from None
    record_audit(AuditAction.COMMUNITY_REQUESTED, actor=actor, subject=actor, target=access_request)
    return access_request


@transaction.atomic
def endorse_community_request(
    access_request: CommunityAccessRequest, *, endorser: Member, note: str = ""
) -> CommunityEndorsement:
    """A network member vouches for someone else's pending request; audited."""
    from network.permissions import can_endorse_community_request

    access_request = _locked(access_request)
    if access_request.member_id == endorser.pk:
        raise PermissionDenied
    if access_request.state != CommunityAccessState.PENDING:
        raise ValidationError(_("This request has already been decided."), code="decided")
    if not can_endorse_community_request(endorser.user, access_request):
        raise PermissionDenied
    try:
        with transaction.atomic():
            endorsement = CommunityEndorsement.objects.create(request=access_request, endorser=endorser, note=note)
    except IntegrityError:
        raise ValidationError(_("You have already endorsed this request."), code="endorsed") from None
    record_audit(
        AuditAction.COMMUNITY_ENDORSED,
        actor=endorser.user,
        subject=access_request.member.user,
        target=access_request,
        details={"note": note} if note else None,
    )
    return endorsement


@transaction.atomic
def approve_community_request(
    access_request: CommunityAccessRequest, *, actor: User, reason: str = "", review_on: date | None = None
) -> CommunityAccessRequest:
    """Grant access, optionally until a review date; audited and emailed. Only one decision ever counts."""
    from network.permissions import community_ineligibility

    access_request = _locked(access_request)
    _check_decider(access_request, actor)
    if access_request.state != CommunityAccessState.PENDING:
        raise ValidationError(_("This request has already been decided."), code="decided")
    _check_review_date(review_on)
    if community_ineligibility(access_request.member.user):
        raise ValidationError(
            _("This member's category or membership no longer allows Community of Practice access."),
            code="not_eligible",
        )
    access_request.review_on = review_on
    return _decide(
        access_request,
        state=CommunityAccessState.APPROVED,
        action=AuditAction.COMMUNITY_APPROVED,
        notice="approved",
        actor=actor,
        reason=reason,
        extra_fields=["review_on"],
        details={"review_on": review_on.isoformat() if review_on else None},
    )


@transaction.atomic
def decline_community_request(
    access_request: CommunityAccessRequest, *, actor: User, reason: str
) -> CommunityAccessRequest:
    """Refuse a pending request with a reason the member reads; audited and emailed."""
    access_request = _locked(access_request)
    _check_decider(access_request, actor)
    if not reason.strip():
        raise ValidationError(_("Please give the member a reason."), code="reason_required")
    if access_request.state != CommunityAccessState.PENDING:
        raise ValidationError(_("This request has already been decided."), code="decided")
    return _decide(
        access_request,
        state=CommunityAccessState.DECLINED,
        action=AuditAction.COMMUNITY_DECLINED,
        notice="declined",
        actor=actor,
        reason=reason,
    )


def _decide(
    access_request: CommunityAccessRequest,
    *,
    state: CommunityAccessState,
    action: AuditAction,
    notice: str,
    actor: User,
    reason: str,
    extra_fields: list[str] | None = None,
    details: dict | None = None,
) -> CommunityAccessRequest:
    """Record a moderator's decision on a locked pending request: the row, the audit entry, the email."""
    access_request.state = state
    access_request.decided_by = actor
    access_request.decided_at = timezone.now()
    access_request.decision_reason = reason
    access_request.save(update_fields=["state", "decided_by", "decided_at", "decision_reason", *(extra_fields or [])])
    record_audit(
        action, actor=actor, subject=access_request.member.user, target=access_request, reason=reason, details=details
    )
    _notify_member(access_request, notice, reason=reason)
    return access_request


@transaction.atomic
def renew_community_access(
    access_request: CommunityAccessRequest, *, actor: User, review_on: date | None, reason: str = ""
) -> CommunityAccessRequest:
    """Move the review date of granted access (None: no review); audited and emailed."""
    access_request = _locked(access_request)
    _check_decider(access_request, actor)
    if access_request.state != CommunityAccessState.APPROVED:
        raise ValidationError(_("Only granted access can be renewed."), code="not_approved")
    _check_review_date(review_on)
    previous = access_request.review_on
    access_request.review_on = review_on
    access_request.save(update_fields=["review_on"])
    record_audit(
        AuditAction.COMMUNITY_RENEWED,
        actor=actor,
        subject=access_request.member.user,
        target=access_request,
        reason=reason,
        details={
            "previous_review_on": previous.isoformat() if previous else None,
            "review_on": review_on.isoformat() if review_on else None,
        },
    )
    _notify_member(access_request, "renewed", reason=reason)
    return access_request


@transaction.atomic
def revoke_community_access(
    access_request: CommunityAccessRequest, *, actor: User, reason: str
) -> CommunityAccessRequest:
    """End granted (or pending) access at once, with a reason; audited and emailed."""
    access_request = _locked(access_request)
    _check_decider(access_request, actor)
    if not reason.strip():
        raise ValidationError(_("Please give the member a reason."), code="reason_required")
    if access_request.state not in OPEN_COMMUNITY_STATES:
        raise ValidationError(_("This access has already ended."), code="ended")
    _end_access(access_request, access_request.member, actor=actor, reason=reason)
    _notify_member(access_request, "revoked", reason=reason)
    return access_request


def send_community_review_reminder(access_request_id: int, *, today: date) -> bool:
    """Email one reminder for the current review date; False if it was sent already or is no longer due."""
    with transaction.atomic():
        access_request = (
            CommunityAccessRequest.objects.select_for_update(of=("self",))
            .select_related("member__user")
            .filter(pk=access_request_id, state=CommunityAccessState.APPROVED, review_on__gt=today)
            .first()
        )
        if access_request is None or access_request.reminder_sent_for == access_request.review_on:
            return False
        # Stored with the email in one transaction: a second run of the task finds it and sends nothing.
        access_request.reminder_sent_for = access_request.review_on
        access_request.save(update_fields=["reminder_sent_for"])
        _notify_member(access_request, "reminder")
    return True


def lapse_community_access(access_request_id: int, *, today: date) -> bool:
    """End access whose review date has come without renewal; audited and emailed. False if not due."""
    with transaction.atomic():
        access_request = (
            CommunityAccessRequest.objects.select_for_update(of=("self",))
            .select_related("member__user")
            .filter(pk=access_request_id, state=CommunityAccessState.APPROVED, review_on__lte=today)
            .first()
        )
        if access_request is None:
            return False
        access_request.state = CommunityAccessState.LAPSED
        access_request.ended_at = timezone.now()
        access_request.save(update_fields=["state", "ended_at"])
        record_audit(
            AuditAction.COMMUNITY_LAPSED,
            actor=None,
            subject=access_request.member.user,
            target=access_request,
            reason=f"Review date {access_request.review_on.isoformat()} passed without renewal.",
        )
        _notify_member(access_request, "lapsed")
    return True


def review_community_access(today: date | None = None) -> dict[str, int]:
    """The daily review: remind members whose review date is near, lapse access whose date has come.

    Safe to run twice on the same day: each row is handled in its own locked transaction and checked again.
    """
    today = today or timezone.localdate()
    approved = CommunityAccessRequest.objects.filter(state=CommunityAccessState.APPROVED)
    due_reminders = approved.filter(
        review_on__gt=today, review_on__lte=today + timedelta(days=REVIEW_REMINDER_DAYS)
    ).filter(Q(reminder_sent_for__isnull=True) | ~Q(reminder_sent_for=F("review_on")))
    reminded = sum(send_community_review_reminder(pk, today=today) for pk in due_reminders.values_list("pk", flat=True))
    lapsed = sum(
        lapse_community_access(pk, today=today)
        for pk in approved.filter(review_on__lte=today).values_list("pk", flat=True)
    )
    return {"reminded": reminded, "lapsed": lapsed}
