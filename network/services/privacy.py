"""Privacy: consents, the member's own data as JSON, and deleting an account."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from network.choices import AuditAction, ConsentKind
from network.models import (
    AuditEntry,
    CommunityAccessRequest,
    ConsentRecord,
    Member,
    MemberMessage,
    OutboundEmail,
    User,
)
from network.services.audit import record_audit

EXPORT_FORMAT_VERSION = 1

# key in the export → function(member) returning that part of the member's data; filled by other apps.
PERSONAL_DATA_SECTIONS: dict[str, Callable[[Member], object]] = {}


def register_personal_data(key: str, collect: Callable[[Member], object]) -> None:
    """Add a part to every member's data export (called from an app's `ready()`, as Wagtail hooks are)."""
    PERSONAL_DATA_SECTIONS[key] = collect


@transaction.atomic
def record_consent(user: User, kind: ConsentKind, *, version: str) -> ConsentRecord:
    """Record that the user agreed to a text in a given version; audited."""
    consent = ConsentRecord.objects.create(user=user, kind=kind, version=version)
    record_audit(
        AuditAction.CONSENT_GIVEN, actor=user, subject=user, target=consent, details={"kind": kind, "version": version}
    )
    return consent


def record_terms_consent(user: User) -> ConsentRecord:
    return record_consent(user, ConsentKind.TERMS, version=settings.TERMS_VERSION)


@transaction.atomic
def give_feature_consent(user: User) -> ConsentRecord:
    """Allow the public website to feature the member (idempotent: an open consent is kept)."""
    current = ConsentRecord.objects.filter(user=user, kind=ConsentKind.FEATURE, withdrawn_at__isnull=True).first()
    return current or record_consent(user, ConsentKind.FEATURE, version=settings.FEATURE_CONSENT_VERSION)


@transaction.atomic
def withdraw_feature_consent(user: User) -> int:
    """Withdraw the consent to be featured; the record stays, dated, as proof of what was agreed when."""
    withdrawn = 0
    for consent in ConsentRecord.objects.select_for_update().filter(
        user=user, kind=ConsentKind.FEATURE, withdrawn_at__isnull=True
    ):
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        record_audit(
            AuditAction.CONSENT_WITHDRAWN, actor=user, subject=user, target=consent, details={"kind": "feature"}
        )
        withdrawn += 1
    return withdrawn


def _counterpart(member: Member | None) -> str:
    # Only the name the other member shows everyone in the platform; never their address or identifiers.
    return member.display_name if member is not None else "former member"


def collect_personal_data(user: User) -> dict:
    """Everything the platform holds about the user, without other people's personal data."""
    from allauth.account.models import EmailAddress

    member = Member.objects.filter(user=user).first()
    data: dict = {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": timezone.now(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user)
            ],
        },
        "consents": [
            {
                "kind": consent.kind,
                "version": consent.version,
                "given_at": consent.given_at,
                "withdrawn_at": consent.withdrawn_at,
            }
            for consent in ConsentRecord.objects.filter(user=user).order_by("given_at")
        ],
        "membership_applications": [
            {
                "category": application.category,
                "state": application.state,
                "police_service": application.police_service,
                "rank": application.rank,
                "mission": application.mission.acronym if application.mission else None,
                "mission_start_year": application.mission_start_year,
                "mission_end_year": application.mission_end_year,
                "organisation": application.organisation,
                "role": application.role,
                "nominator_name": application.nominator_name,
                "nomination_reason": application.nomination_reason,
                "interest": application.interest,
                "statement": application.statement,
                "info_request": application.info_request,
                "decision_reason": application.decision_reason,
                "decided_at": application.decided_at,
                "submitted_at": application.submitted_at,
            }
            for application in user.membership_applications.select_related("mission").order_by("submitted_at")
        ],
    }
    if member is None:
        return data
    data["member"] = {
        "public_id": member.public_id,
        "category": member.category,
        "country": member.country.code or "",
        "police_service": member.police_service,
        "rank": member.rank,
        "bio": member.bio,
        "has_photo": bool(member.photo),
        "visibility": {field: member.visibility_of(field) for field in Member.VISIBLE_FIELDS},
        "hide_current_deployment": member.hide_current_deployment,
        "membership_expires_on": member.membership_expires_on,
        "created_at": member.created_at,
        "updated_at": member.updated_at,
    }
    data["missions"] = [
        {"mission": service.mission.acronym, "start_year": service.start_year, "end_year": service.end_year}
        for service in member.missions.select_related("mission")
    ]
    data["languages"] = [language.code for language in member.languages.all()]
    data["expertise"] = [area.slug for area in member.expertise.all()]
    data["category_changes"] = [
        {"from": change.from_category, "to": change.to_category, "reason": change.reason, "at": change.created_at}
        for change in member.category_changes.order_by("created_at")
    ]
    data["community_access_requests"] = [
        {
            "motivation": access.motivation,
            "state": access.state,
            "decision_reason": access.decision_reason,
            "decided_at": access.decided_at,
            "review_on": access.review_on,
            "ended_at": access.ended_at,
            "created_at": access.created_at,
            "endorsements": [
                {"by": _counterpart(endorsement.endorser), "note": endorsement.note, "at": endorsement.created_at}
                for endorsement in access.endorsements.select_related("endorser__user")
            ],
        }
        for access in CommunityAccessRequest.objects.filter(member=member).order_by("created_at")
    ]
    data["endorsements_given"] = [
        {"note": endorsement.note, "at": endorsement.created_at}
        for endorsement in member.endorsements_given.order_by("created_at")
    ]
    data["messages_sent"] = [
        {"to": _counterpart(message.recipient), "body": message.body, "sent_at": message.created_at}
        for message in MemberMessage.objects.filter(sender=member).select_related("recipient__user").order_by("pk")
    ]
    data["messages_received"] = [
        {
            "from": _counterpart(message.sender),
            "body": message.body,
            "received_at": message.created_at,
            "read_at": message.read_at,
        }
        for message in MemberMessage.objects.filter(recipient=member).select_related("sender__user").order_by("pk")
    ]
    # Each app that keeps data about a member adds its part (campaigns: advocacy actions, contributions).
    for key, collect in PERSONAL_DATA_SECTIONS.items():
        data[key] = collect(member)
    return data


@transaction.atomic
def export_personal_data(user: User, *, actor: User) -> dict:
    """The user's own data for download; audited (DATA_EXPORTED)."""
    if actor.pk != user.pk:
        raise PermissionDenied
    data = collect_personal_data(user)
    record_audit(AuditAction.DATA_EXPORTED, actor=actor, subject=user)
    return data


def can_delete_own_account(user: User) -> bool:
    # Staff accounts hold roles others rely on; an administrator removes them after handing over.
    return user.is_authenticated and not (user.is_staff or user.is_superuser or user.groups.exists())


@transaction.atomic
def delete_account(user: User, *, actor: User) -> None:
    """Erase the account and its personal data; what the person wrote to others stays, as "former member".

    Deleting the user row cascades to the profile, missions, applications, category history, consents,
    community requests and endorsements, email addresses, sessions and authenticators. Messages keep their
    text with the sender or recipient set to NULL (shown as "former member"); queued emails addressed to the
    person are deleted.

    Audit entries written before keep their email labels: the log is append-only, only administrators read
    it, and it must still show who decided what (a legitimate interest that outlives the account). The entry
    for the deletion itself names nobody.
    """
    if actor.pk != user.pk or not can_delete_own_account(user):
        raise PermissionDenied
    user_id, email = user.pk, user.email
    member = Member.objects.filter(user=user).first()
    photo = member.photo.name if member is not None and member.photo else ""
    # Few rows (sent email is purged after a week), and JSON containment is not portable to SQLite.
    addressed = [row.pk for row in OutboundEmail.objects.only("pk", "to") if any(email in to.lower() for to in row.to)]
    OutboundEmail.objects.filter(pk__in=addressed).delete()
    user.delete()
    # Written directly rather than through record_audit, which labels entries with the email address.
    label = f"former member #{user_id}"
    AuditEntry.objects.create(
        action=AuditAction.ACCOUNT_DELETED, actor=None, actor_label=label, subject_user=None, subject_label=label
    )
    if photo:
        storage = Member._meta.get_field("photo").storage
        transaction.on_commit(lambda: storage.delete(photo))
