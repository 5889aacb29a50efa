"""Create (or bring back to shape) the demo site: demo accounts, then each app's demo content (network/demo.py).

Running it again changes nothing but the demo accounts' passwords, which are reset to the printed one.
"""

import os

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from network.choices import MemberCategory, StaffRole, Visibility
from network.demo import demo_seeders
from network.management.demo_membership import seed_membership_demo
from network.models import ExpertiseArea, Language, Member, Mission, User
from network.services import ensure_member_profile, ensure_staff_groups, update_member_profile

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
    ("admin@example.org", "Ada", "Administrator", StaffRole.ADMINISTRATOR, True),
]


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
            # Then each app's demo content (pages, campaigns, …), registered in its demo.py.
            for seed in demo_seeders():
                seed()
        self.stdout.write(self.style.SUCCESS("Demo site ready."))
        if not options["quiet_passwords"]:
            self.stdout.write(f"Demo accounts (password for all: {password}):")
            for email, label in accounts:
                self.stdout.write(f"  {email:<28} {label}")
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
