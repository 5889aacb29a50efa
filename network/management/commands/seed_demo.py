"""Create (or bring back to shape) the demo site: demo accounts, then each app's demo content (network/demo.py).

Running it again changes nothing but the demo accounts' passwords, which are reset to the printed one.
"""

import os

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from network import permissions
from network.choices import AccessLevel, CommunityAccessState, MemberCategory, StaffRole, Visibility
from network.demo import demo_seeders
from network.management.demo_membership import seed_membership_demo
from network.models import CommunityAccessRequest, ExpertiseArea, Language, Member, Mission, User
from network.services import ensure_member_profile, ensure_staff_groups, update_member_profile
from network.services.community import approve_community_request, request_community_access

DEMO_PASSWORD_DEFAULT = "peacekeepers-demo-2014"

MEMBERS = [
    # email, first, last, category, country, service, rank, missions, languages, expertise, bio
    (
        "amina.diallo@example.org",
        "Amina",
        "Diallo",
        MemberCategory.ACTIVE,
        "SN",
        "Police nationale du Sénégal",
        "Commissaire",
        [("MINUSCA", 2019, None), ("MINUSMA", 2015, 2017)],
        ["fr", "en"],
        ["sgbv-investigation", "community-policing"],
        "Leads a specialised unit for survivors of violence and mentors new officers before deployment.",
    ),
    (
        "grace.uwase@example.org",
        "Grace",
        "Uwase",
        MemberCategory.ACTIVE,
        "RW",
        "Rwanda National Police",
        "Superintendent",
        [("UNMISS", 2018, 2021)],
        ["en", "fr", "sw"],
        ["formed-police-units", "leadership"],
        "Commanded a platoon of a formed police unit protecting civilians in South Sudan.",
    ),
    (
        "maria.santos@example.org",
        "Maria",
        "Santos",
        MemberCategory.CIVILIAN,
        "PH",
        "UN Police Division",
        "Gender adviser",
        [("UNMIT", 2009, 2012)],
        ["en", "es"],
        ["gender-mainstreaming", "training"],
        "Designs training on gender-responsive policing for host-State police services.",
    ),
    (
        "ingrid.larsen@example.org",
        "Ingrid",
        "Larsen",
        MemberCategory.HONORARY,
        "NO",
        "Retired",
        "Former Police Commissioner",
        [("UNMIL", 2007, 2010), ("UNMIK", 2001, 2003)],
        ["en"],
        ["leadership", "mentoring"],
        "After thirty years of service she mentors women preparing for their first mission.",
    ),
    (
        "lucia.romero@example.org",
        "Lucía",
        "Romero",
        MemberCategory.OBSERVER,
        "CL",
        "Academia de Ciencias Policiales",
        "Researcher",
        [],
        ["es", "en"],
        ["training"],
        "Studies how police academies prepare officers for international deployment.",
    ),
]

STAFF = [
    # email, first, last, role, superuser
    ("editor@example.org", "Elena", "Editor", StaffRole.EDITOR, False),
    ("moderator@example.org", "Mona", "Moderator", StaffRole.MODERATOR, False),
    ("officer@example.org", "Olivia", "Officer", StaffRole.MEMBERSHIP_OFFICER, False),
    ("organiser@example.org", "Oriane", "Organiser", StaffRole.TRAINING_ORGANISER, False),
    ("coordinator@example.org", "Carmen", "Coordinator", StaffRole.MENTORING_COORDINATOR, False),
    ("admin@example.org", "Ada", "Administrator", StaffRole.ADMINISTRATOR, True),
]


# Members with Community of Practice access, so a newcomer can see the community as a member does.
COMMUNITY_MEMBERS = ("maria.santos@example.org", "ingrid.larsen@example.org")

LEVEL_CAN = {
    AccessLevel.PUBLIC: ("applicant", "public pages; applies for membership"),
    AccessLevel.MEMBERS: ("observer", "members' pages and campaigns; no directory, no Community of Practice"),
    AccessLevel.NETWORK: ("network", "directory and messages; may ask for Community of Practice access"),
    AccessLevel.COMMUNITY: ("community", "directory, messages and the Community of Practice"),
}
STAFF_CAN = {
    StaffRole.EDITOR: "admin: edits and publishes pages and campaigns",
    StaffRole.MODERATOR: "admin: decides Community of Practice requests",
    StaffRole.MEMBERSHIP_OFFICER: "admin: reviews applications, renews memberships, imports members",
    StaffRole.ADMINISTRATOR: "admin: everything, including staff roles and the audit log",
    StaffRole.TRAINING_ORGANISER: "admin: runs trainings and events, registrations and attendance",
    StaffRole.MENTORING_COORDINATOR: "admin: runs mentoring programmes, matching and their reports",
}


def describe_account(user: User) -> tuple[str, str]:
    """(level, what it can do) for the printed table, as network/permissions.py decides them."""
    for role in (
        StaffRole.ADMINISTRATOR,
        StaffRole.MEMBERSHIP_OFFICER,
        StaffRole.MODERATOR,
        StaffRole.EDITOR,
        StaffRole.TRAINING_ORGANISER,
        StaffRole.MENTORING_COORDINATOR,
    ):
        if permissions.has_staff_role(user, role):
            return f"staff: {role.label.lower()}", STAFF_CAN[role]
    member = permissions.get_member(user)
    if member is not None and member.category and not permissions.membership_is_current(member):
        return "lapsed", "what observers see until renewed; renews on My membership"
    return LEVEL_CAN[permissions.access_level(user)]


class Command(BaseCommand):
    help = "Create the demo site and demo accounts (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-passwords", action="store_true", help="Do not print the demo password.")

    def handle(self, *args, **options):
        if os.environ.get("DJANGO_ENV") == "production":
            raise CommandError("seed_demo creates accounts with a known password; it refuses to run in production.")
        password = os.environ.get("DEMO_PASSWORD") or DEMO_PASSWORD_DEFAULT
        with transaction.atomic():
            ensure_staff_groups()
            accounts = self._members(password) + self._staff(password)
            accounts += seed_membership_demo(password)
            self._community_access()
            # Then each app's demo content (pages, campaigns, …), registered in its demo.py.
            for seed in demo_seeders():
                seed()
        self.stdout.write(self.style.SUCCESS("Demo site ready."))
        if not options["quiet_passwords"]:
            self.stdout.write(f"Demo accounts (password for all: {password}):")
            rows = [("Account", "Level", "What it can do")]
            for email, label in accounts:
                level, can = describe_account(User.objects.get(email=email))
                rows.append((email, level, f"{can} ({label})"))
            widths = [max(len(row[column]) for row in rows) for column in (0, 1)]
            for email, level, can in rows:
                self.stdout.write(f"  {email:<{widths[0]}}  {level:<{widths[1]}}  {can}")
            self.stdout.write("Staff accounts set up two-factor authentication on their first visit to /admin/.")

    def _user(self, email: str, first: str, last: str, password: str) -> User:
        user, _created = User.objects.get_or_create(email=email, defaults={"first_name": first, "last_name": last})
        user.set_password(password)
        user.save()
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        return user

    def _members(self, password: str) -> list[tuple[str, str]]:
        accounts = []
        for email, first, last, category, country, service, rank, missions, languages, expertise, bio in MEMBERS:
            user = self._user(email, first, last, password)
            member = ensure_member_profile(user)
            # Admission through the application workflow comes with the membership issue; the demo admits directly.
            member.category = category
            member.save(update_fields=["category"])
            # Demo members share with the network, except the bio which they keep to members in general.
            visibility = {field: Visibility.NETWORK for field in Member.VISIBLE_FIELDS}
            visibility["bio"] = Visibility.MEMBERS
            update_member_profile(
                member,
                actor=user,
                first_name=first,
                last_name=last,
                fields={"country": country, "police_service": service, "rank": rank, "bio": bio},
                languages=Language.objects.filter(code__in=languages),
                expertise=ExpertiseArea.objects.filter(slug__in=expertise),
                visibility=visibility,
                missions=[
                    {"mission": Mission.objects.get(acronym=acronym), "start_year": start, "end_year": end}
                    for acronym, start, end in missions
                ],
            )
            accounts.append((email, f"{category.label} member"))
        return accounts

    def _community_access(self) -> None:
        """The community-level demo members: access asked for and approved through the moderators' services."""
        moderator = User.objects.get(email="moderator@example.org")
        for email in COMMUNITY_MEMBERS:
            member = Member.objects.get(user__email=email)
            if CommunityAccessRequest.objects.filter(member=member, state=CommunityAccessState.APPROVED).exists():
                continue
            access_request = request_community_access(
                member,
                actor=member.user,
                motivation="I would like to share training material with colleagues preparing for deployment.",
            )
            approve_community_request(access_request, actor=moderator, reason="Welcome to the Community of Practice.")

    def _staff(self, password: str) -> list[tuple[str, str]]:
        accounts = []
        for email, first, last, role, superuser in STAFF:
            user = self._user(email, first, last, password)
            ensure_member_profile(user)
            user.is_staff = superuser
            user.is_superuser = superuser
            user.save(update_fields=["is_staff", "is_superuser"])
            user.groups.add(Group.objects.get(name=role.value))
            accounts.append((email, str(role.label)))
        return accounts
