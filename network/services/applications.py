"""Membership applications: submission with evidence, requests for more information, decisions.

Every decision locks the application row and checks its state inside the transaction, so two officers
deciding at the same moment record exactly one decision; the loser gets an ApplicationError.
"""

from allauth.account.utils import has_verified_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from network.choices import ApplicationState, AuditAction, MemberCategory
from network.models import Member, MembershipApplication, MissionService, User
from network.models.membership import OPEN_APPLICATION_STATES
from network.services.accounts import ensure_member_profile
from network.services.audit import record_audit
from network.services.membership import change_member_category, membership_term_end
from network.services.membership_email import send_member_email

# The evidence each category asks for: (required fields, optional fields). The forms follow this map.
APPLICATION_EVIDENCE = {
    MemberCategory.ACTIVE: (
        ("police_service", "rank", "mission", "mission_start_year"),
        ("mission_end_year", "statement"),
    ),
    MemberCategory.CIVILIAN: (("organisation", "role"), ("statement",)),
    MemberCategory.HONORARY: (("nominator_name", "nomination_reason"), ("statement",)),
    MemberCategory.OBSERVER: (("organisation", "interest"), ("statement",)),
}
EVIDENCE_FIELDS = (
    "police_service",
    "rank",
    "mission",
    "mission_start_year",
    "mission_end_year",
    "organisation",
    "role",
    "nominator_name",
    "nomination_reason",
    "interest",
    "statement",
)


class ApplicationError(Exception):
    """An application step that cannot be taken now; the message is meant for the person who tried."""


def evidence_fields(category: str) -> tuple[str, ...]:
    required, optional = APPLICATION_EVIDENCE[MemberCategory(category)]
    return required + optional


def _clean_evidence(category: str, evidence: dict) -> dict:
    """Only the fields of this category, every other evidence field emptied; missing required ones refused."""
    fields = evidence_fields(category)
    required = APPLICATION_EVIDENCE[MemberCategory(category)][0]
    missing = [name for name in required if evidence.get(name) in (None, "")]
    if missing:
        raise ApplicationError(_("Some of the evidence this category needs is missing."))
    cleaned = {}
    for name in EVIDENCE_FIELDS:
        field = MembershipApplication._meta.get_field(name)
        empty = None if field.null else ""
        cleaned[name] = evidence.get(name, empty) if name in fields else empty
        if cleaned[name] is None and not field.null:
            cleaned[name] = ""
    return cleaned


def open_application_for(user: User) -> MembershipApplication | None:
    return MembershipApplication.objects.filter(user=user, state__in=OPEN_APPLICATION_STATES).first()


def application_blocker(user: User) -> str:
    """Why the user may not start an application now ("" when they may)."""
    if not user.is_authenticated:
        return _("Log in to apply for membership.")
    if not has_verified_email(user):
        return _("Please confirm your email address before you apply for membership.")
    if open_application_for(user) is not None:
        return _("You already have an application waiting for a decision. You can follow it on this page.")
    return ""


def submit_application(user: User, *, category: str, evidence: dict, country: str = "") -> MembershipApplication:
    """Record a new application; audited, and a confirmation email goes to the applicant. The country she
    gives is kept on her profile (private until she shares it), where the officers' list reads it."""
    if category not in MemberCategory.values:
        raise ApplicationError(_("Please choose one of the membership categories."))
    member = ensure_member_profile(user)
    if member.category == category:
        raise ApplicationError(_("You are already a member in this category."))
    blocker = application_blocker(user)
    if blocker:
        raise ApplicationError(blocker)
    values = _clean_evidence(category, evidence)
    try:
        with transaction.atomic():
            if country and member.country != country:
                member.country = country
                member.save(update_fields=["country", "updated_at"])
            application = MembershipApplication.objects.create(
                user=user, category=category, state=ApplicationState.SUBMITTED, **values
            )
            record_audit(
                AuditAction.APPLICATION_SUBMITTED,
                actor=user,
                subject=user,
                target=application,
                details={"category": category},
            )
            send_member_email(user, "application_submitted", {"application": application})
    except IntegrityError:
        # Two submissions at the same moment: the database constraint one_open_application_per_user wins.
        raise ApplicationError(
            _("You already have an application waiting for a decision. You can follow it on this page.")
        ) from None
    return application


@transaction.atomic
def resubmit_application(
    application: MembershipApplication, *, actor: User, evidence: dict, country: str = ""
) -> MembershipApplication:
    """The applicant adds the information an officer asked for; the application goes back to the officers."""
    locked = MembershipApplication.objects.select_for_update().get(pk=application.pk)
    if locked.user_id != actor.pk:
        raise ApplicationError(_("This is not your application."))
    if locked.state != ApplicationState.MORE_INFO:
        raise ApplicationError(_("This application is not waiting for more information."))
    for name, value in _clean_evidence(locked.category, evidence).items():
        setattr(locked, name, value)
    locked.state = ApplicationState.SUBMITTED
    locked.save()
    if country:
        Member.objects.filter(user=actor).exclude(country=country).update(country=country, updated_at=timezone.now())
    record_audit(
        AuditAction.APPLICATION_SUBMITTED,
        actor=actor,
        subject=actor,
        target=locked,
        details={"category": locked.category, "resubmitted": True},
    )
    return locked


def _lock_for_decision(
    application: MembershipApplication, actor: User, reason: str, *, reason_required: bool = True
) -> MembershipApplication:
    from network.permissions import check_can_review_applications

    check_can_review_applications(actor)
    if reason_required and not reason.strip():
        raise ApplicationError(_("Please give a reason; the applicant will read it."))
    # The row lock makes a second officer wait here until the first decision is committed, then see it.
    locked = MembershipApplication.objects.select_for_update().select_related("user").get(pk=application.pk)
    if locked.state not in OPEN_APPLICATION_STATES:
        raise ApplicationError(
            _("This application has already been decided (%(state)s).") % {"state": locked.get_state_display()}
        )
    if locked.user_id == actor.pk:
        raise ApplicationError(_("You cannot decide your own application."))
    return locked


def _decide(locked: MembershipApplication, *, state: str, actor: User, reason: str) -> None:
    locked.state = state
    locked.decision_reason = reason
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save(update_fields=["state", "decision_reason", "decided_by", "decided_at", "updated_at"])


def copy_application_to_profile(member: Member, application: MembershipApplication) -> list[str]:
    """Fill the empty profile fields from the evidence of an approved application; returns the fields copied.

    Visibility is left alone: the copied fields stay private until the member shares them. What the member
    already wrote in her profile is never overwritten.
    """
    employer = application.police_service or (
        application.organisation if application.category == MemberCategory.CIVILIAN else ""
    )
    title = application.rank or (application.role if application.category == MemberCategory.CIVILIAN else "")
    changed = []
    if employer and not member.police_service:
        member.police_service = employer
        changed.append("police_service")
    if title and not member.rank:
        member.rank = title
        changed.append("rank")
    copied = list(changed)
    if changed:
        member.save(update_fields=[*changed, "updated_at"])
    if application.mission_id and application.mission_start_year:
        _service, created = MissionService.objects.get_or_create(
            member=member,
            mission_id=application.mission_id,
            start_year=application.mission_start_year,
            defaults={"end_year": application.mission_end_year},
        )
        if created:
            copied.append("missions")
    return copied


@transaction.atomic
def approve_application(application: MembershipApplication, *, actor: User, reason: str = "") -> MembershipApplication:
    """Admit the applicant in the category applied for (category change with history, membership term), copy
    the evidence into her still private profile, audit it and email the applicant the decision (and the
    officer's message, which is optional: a welcome needs no justification)."""
    locked = _lock_for_decision(application, actor, reason, reason_required=False)
    _decide(locked, state=ApplicationState.APPROVED, actor=actor, reason=reason)
    member = ensure_member_profile(locked.user)
    change_member_category(
        member, locked.category, actor=actor, reason=reason, audit_details={"application": locked.pk}
    )
    term_end = membership_term_end()
    if term_end is not None:
        member = Member.objects.select_for_update().get(pk=member.pk)
        # Admission never shortens a membership that already runs longer.
        if member.membership_expires_on is None or member.membership_expires_on < term_end:
            member.membership_expires_on = term_end
            member.save(update_fields=["membership_expires_on", "updated_at"])
    member = Member.objects.select_for_update().get(pk=member.pk)
    copied = copy_application_to_profile(member, locked)
    record_audit(
        AuditAction.APPLICATION_APPROVED,
        actor=actor,
        subject=locked.user,
        target=locked,
        reason=reason,
        details={"category": locked.category, "copied_to_profile": copied},
    )
    labels = {"police_service": _("police service or employer"), "rank": _("rank or title"), "missions": _("mission")}
    send_member_email(
        locked.user,
        "application_approved",
        {"application": locked, "member": member, "copied": [labels[name] for name in copied]},
    )
    application.state = locked.state
    return locked


@transaction.atomic
def reject_application(application: MembershipApplication, *, actor: User, reason: str) -> MembershipApplication:
    """Decline the application with a reason; audited and emailed to the applicant."""
    locked = _lock_for_decision(application, actor, reason)
    _decide(locked, state=ApplicationState.REJECTED, actor=actor, reason=reason)
    record_audit(
        AuditAction.APPLICATION_REJECTED,
        actor=actor,
        subject=locked.user,
        target=locked,
        reason=reason,
        details={"category": locked.category},
    )
    send_member_email(locked.user, "application_rejected", {"application": locked})
    application.state = locked.state
    return locked


@transaction.atomic
def request_more_information(application: MembershipApplication, *, actor: User, reason: str) -> MembershipApplication:
    """Ask the applicant for more information (the reason says what); audited and emailed."""
    locked = _lock_for_decision(application, actor, reason)
    if locked.state == ApplicationState.MORE_INFO:
        raise ApplicationError(_("More information has already been requested for this application."))
    locked.state = ApplicationState.MORE_INFO
    locked.info_request = reason
    locked.save(update_fields=["state", "info_request", "updated_at"])
    record_audit(
        AuditAction.APPLICATION_INFO_REQUESTED,
        actor=actor,
        subject=locked.user,
        target=locked,
        reason=reason,
    )
    send_member_email(locked.user, "application_more_info", {"application": locked})
    application.state = locked.state
    return locked


def approve_applications(applications, *, actor: User, reason: str = "") -> tuple[int, int]:
    """Approve several applications, each in its own transaction; returns (approved, skipped)."""
    approved = skipped = 0
    for application in applications:
        try:
            approve_application(application, actor=actor, reason=reason)
        except ApplicationError:
            skipped += 1
        else:
            approved += 1
    return approved, skipped
