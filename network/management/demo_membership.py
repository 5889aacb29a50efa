"""Demo data for membership: applications waiting for the officers, a membership about to expire and a lapsed one.

Safe to run again: applications are created only for demo applicants who have none, and the expiring
membership is set back to "20 days from today" each time.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from network.choices import ApplicationState, AuditAction, MemberCategory, Visibility
from network.models import Member, MembershipApplication, Mission, User
from network.services import ensure_member_profile, record_audit

APPLICANTS = [
    # email, first, last, category, state, evidence, info requested, country
    (
        "nadia.haddad@example.org",
        "Nadia",
        "Haddad",
        MemberCategory.ACTIVE,
        ApplicationState.SUBMITTED,
        {
            "police_service": "Direction générale de la Sûreté nationale",
            "rank": "Commissaire principal",
            "mission": "MINUSCA",
            "mission_start_year": 2021,
            "mission_end_year": None,
            "statement": "Deputy head of the mission's gender unit.",
        },
        "",
        "MA",
    ),
    (
        "sofia.berg@example.org",
        "Sofia",
        "Berg",
        MemberCategory.OBSERVER,
        ApplicationState.SUBMITTED,
        {"organisation": "Nordic Centre for Gender in Military Operations", "interest": "Training research."},
        "",
        "SE",
    ),
    (
        "fatou.ndiaye@example.org",
        "Fatou",
        "Ndiaye",
        MemberCategory.CIVILIAN,
        ApplicationState.MORE_INFO,
        {"organisation": "Ministry of the Interior", "role": "Adviser"},
        "Please tell us which UN police component you work with, and since when.",
        "SN",
    ),
]

EXPIRING = ("rita.mensah@example.org", "Rita", "Mensah", MemberCategory.ACTIVE, "GH", "Ghana Police Service")
EXPIRES_IN_DAYS = 20
# A membership that ended a few days ago: still renewable by the member herself from "My membership".
LAPSED = ("joy.okafor@example.org", "Joy", "Okafor", MemberCategory.ACTIVE, "NG", "Nigeria Police Force")
LAPSED_DAYS_AGO = 10


def _demo_user(email: str, first: str, last: str, password: str) -> User:
    user, _created = User.objects.get_or_create(email=email, defaults={"first_name": first, "last_name": last})
    user.set_password(password)
    user.save()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    ensure_member_profile(user)
    return user


def seed_membership_demo(password: str) -> list[tuple[str, str]]:
    """Create the demo applicants and the expiring member; returns (email, label) for the printed list."""
    accounts = []
    officer = User.objects.filter(email="officer@example.org").first()
    for email, first, last, category, state, evidence, info_request, country in APPLICANTS:
        user = _demo_user(email, first, last, password)
        # As the application form keeps it: on the (still private) profile, where the officers' list reads it.
        Member.objects.filter(user=user, country="").update(country=country)
        if not MembershipApplication.objects.filter(user=user).exists():
            values = dict(evidence)
            if "mission" in values:
                values["mission"] = Mission.objects.get(acronym=values["mission"])
            application = MembershipApplication.objects.create(
                user=user, category=category, state=state, info_request=info_request, **values
            )
            record_audit(AuditAction.APPLICATION_SUBMITTED, actor=user, subject=user, target=application)
            if state == ApplicationState.MORE_INFO:
                record_audit(
                    AuditAction.APPLICATION_INFO_REQUESTED,
                    actor=officer,
                    subject=user,
                    target=application,
                    reason=info_request,
                )
        accounts.append((email, f"applicant ({category.label}, {state.label.lower()})"))

    for (email, first, last, category, country, service), days_left, label in (
        (EXPIRING, EXPIRES_IN_DAYS, f"{EXPIRING[3].label} member, membership expires in {EXPIRES_IN_DAYS} days"),
        (LAPSED, -LAPSED_DAYS_AGO, f"{LAPSED[3].label} member, membership lapsed {LAPSED_DAYS_AGO} days ago"),
    ):
        user = _demo_user(email, first, last, password)
        member = Member.objects.get(user=user)
        member.category = category
        member.country = country
        member.police_service = service
        member.visibility = {field: Visibility.NETWORK for field in Member.VISIBLE_FIELDS}
        member.membership_expires_on = timezone.localdate() + timedelta(days=days_left)
        member.save()
        accounts.append((email, label))
    return accounts
