"""The access matrix: every URL the site routes, requested with GET by every kind of person, answers as the
policy in network/permissions.py says, and never shows a person data that is not theirs to see.

How it works
- `all_routes()` walks Django's URL resolver (i18n prefixes resolved in English, namespaces joined) and names
  each route by its *pattern key*: the full route as Django reports it in `ResolverMatch.route`, then the
  namespaced view name in brackets, e.g. `en/members/messages/<int:pk>/ [network:message_detail]`.
- `ENTRIES` holds the expectation of every route of ours: one or more probes (a URL filled with real objects
  made by the `world` fixture) and the answer each role must get. `FAMILY_RULES` covers the large third-party
  families (Wagtail's admin, allauth's account pages) with a documented rule instead; a route of ours (from
  our URLconfs, views or admin viewsets) never falls under a family rule.
- `test_every_route_has_an_expectation` fails for a route with neither (a new URL is not covered until its
  expectation is written here) and for an entry that matches no route any more.
- `test_every_route_answers_the_role_as_the_policy_says` runs once per role, requests every probe and
  collects every wrong answer, and every response containing a marker (an email address, a private profile
  value, a message…) the role may not see there, into one report.

Two quirks of the stack show in the statuses:
- Wagtail's admin turns a PermissionDenied of a signed-in staff member into a redirect to its dashboard
  (`ADMIN_REFUSED`); people who may not open the admin at all are sent to the login page (`LOGIN`).
- A 404 on a path without a language prefix (`/admin/...`, `/documents/...`) becomes a redirect to the same
  path under `/en/` (LocaleMiddleware: Wagtail's page catch-all would match there), which then answers 404
  (`REDIRECTED_404`).
"""

import datetime
import itertools
import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType, SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone, translation
from django.utils.regex_helper import normalize

from campaigns import services as campaign_services
from campaigns.choices import AdvocacyKind, CampaignVisibility
from campaigns.models import CampaignContributor
from cms.models import FeaturedMember, StandardPage
from events import calendar as event_calendar
from events import services as event_services
from events.models import EventsIndexPage, Registration
from forums import services as forum_services
from forums.models import Forum
from library import services as library_services
from library.models import Topic
from mentoring import links as mentoring_links
from mentoring import services as mentoring_services
from network.choices import AccessLevel, Delivery, ImportState, MemberCategory, StaffRole, Visibility
from network.models import AuditEntry, Member, MemberImport, MemberMessage
from network.notifications import notify, unsubscribe_url
from network.services import community
from tests.factories import MemberFactory
from tests.factories.campaigns import CampaignFactory, RecordedValueFactory, StatisticSeriesFactory, TargetFactory
from tests.factories.cms import make_document, publish_child
from tests.factories.events import first_session, make_course
from tests.factories.library import make_library_document
from tests.factories.mentoring import enrol, make_programme
from tests.factories.staff import ApplicationFactory, make_staff

# --- roles ---------------------------------------------------------------------------------------------------

ROLES = (
    "anonymous",
    "observer",  # admitted, outside the network
    "active",  # network member without Community of Practice access
    "civilian",  # network member with approved Community of Practice access
    "honorary",  # network member with approved Community of Practice access
    "moderator",  # staff group "Community moderators"
    "officer",  # staff group "Membership officers"
    "administrator",  # staff group "Administrators"
    "editor",  # staff group "Editors" (pages and campaigns)
    "organiser",  # staff group "Training organisers" (trainings and events)
    "coordinator",  # staff group "Mentoring coordinators" (mentoring programmes)
)
GROUPS = {
    "everyone": ROLES,
    "signed_in": ROLES[1:],
    "members": ("observer", "active", "civilian", "honorary"),
    "network": ("active", "civilian", "honorary"),
    "community": ("civilian", "honorary"),
    "non_staff": ROLES[:5],
    "staff": ("moderator", "officer", "administrator", "editor", "organiser", "coordinator"),
}
# Staff are made with an authenticator app enrolled (make_staff), which is what
# network.middleware.StaffMFARequiredMiddleware asks before the admin opens.
STAFF_ROLES = {
    "moderator": StaffRole.MODERATOR,
    "officer": StaffRole.MEMBERSHIP_OFFICER,
    "administrator": StaffRole.ADMINISTRATOR,
    "editor": StaffRole.EDITOR,
    "organiser": StaffRole.TRAINING_ORGANISER,
    "coordinator": StaffRole.MENTORING_COORDINATOR,
}
# Who may do what, as network/permissions.py says.
APPLICATION_REVIEWERS = ("officer", "administrator")  # can_review_applications
MEMBER_LIST_READERS = ("moderator", "officer", "administrator")  # can_view_member_list
AUDIT_READERS = ("administrator",)  # can_view_audit_log
COMMUNITY_MODERATORS = ("moderator", "administrator")  # can_moderate_community
IMPORTERS = ("officer", "administrator")  # can_import_members
CAMPAIGN_EDITORS = ("administrator", "editor")  # can_manage_campaigns
SPOTLIGHT_EDITORS = ("administrator", "editor")  # can_nominate_for_spotlight
MEMBERS_CAMPAIGN_READERS = ("members", "administrator", "editor")  # can_view_campaign, members-only campaign
FORUM_MODERATORS = ("moderator", "administrator")  # forums.permissions.is_forum_moderator: every forum
FORUM_READERS = ("community", *FORUM_MODERATORS)  # the Community of Practice forum
EVENT_ORGANISERS = (
    "organiser",
    "administrator",
)  # events.permissions.is_organiser: every session
GROUP_READERS = ("honorary", *FORUM_MODERATORS)  # the working group's forum (granted to the honorary member)
LIBRARY_MANAGERS = ("administrator", "editor")  # library.permissions.can_manage_library: every document
# Who opens each library document of the world (library/permissions.py), by its marker.
LIBRARY_READERS = {
    "library_members": ("members", *LIBRARY_MANAGERS),
    "library_network": ("network", *LIBRARY_MANAGERS),
    "library_community": ("community", *LIBRARY_MANAGERS),
    "library_granted": ("honorary", *LIBRARY_MANAGERS),  # granted to the working group, at "members" level
}
MENTORING_COORDINATORS = ("coordinator", "administrator")  # mentoring.permissions.can_coordinate
MENTORING_PAIR = ("civilian", "honorary")  # the world's mentorship: civilian mentee, honorary mentor

# --- markers: values that may appear only where the role may see them -----------------------------------------

MARKERS = {
    "email": "quokka.subject@example.org",  # the subject member's email address: staff member data only
    "hidden": "Hidden-Rank-Quokka",  # a profile field the subject keeps private
    "message": "Message-Body-Ocelot",  # a message from the civilian to the honorary member
    "motivation": "Motivation-Marmot",  # the subject's pending Community of Practice request
    "inner_campaign": "Inner-Campaign-Ibex",  # the title of a members-only campaign
    "members_page": "Members-Page-Heron",  # the introduction of a members-only page
    "network_page": "Network-Page-Lynx",  # … of a network-only page
    "community_page": "Community-Page-Okapi",  # … of a Community of Practice page
    "forum_post": "Forum-Post-Pangolin",  # a topic of a Community of Practice forum
    "group_post": "Group-Post-Gecko",  # a topic of a working group's restricted forum (the honorary member's)
    "library_members": "Library-Members-Mole",  # the summary of a members-only library document
    "library_network": "Library-Network-Newt",  # … of a network-only document
    "library_community": "Library-Community-Civet",  # … of a Community of Practice document
    "library_granted": "Library-Granted-Tapir",  # … of a restricted document granted to the working group
    "pair_note": "Pair-Note-Narwhal",  # a mentoring pair's private meeting notes (civilian mentee, honorary mentor)
    "online_link": "Online-Link-Tapir",  # the online link of a session: its participants and organisers only
    "network_event": "Network-Event-Kudu",  # the summary of a network-only course
    "nomination": "Nomination-Note-Dugong",  # the subject's nomination note: the organisers only
}
STAFF_MEMBER_DATA = ("email", "hidden", "motivation")

# --- expectations --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    """A status; for a redirect its Location (exact, or a prefix when it ends with "*"; "{w.…}" is filled from
    the world); optionally a text the body must contain, or must not. `status=None` means "handled": any
    status below 500."""

    status: int | None
    location: str | None = None
    contains: str | None = None
    lacks: str | None = None

    def describe(self) -> str:
        text = "any status below 500" if self.status is None else str(self.status)
        if self.location is not None:
            text += f" → {self.location}"
        if self.contains is not None:
            text += f" containing {self.contains!r}"
        if self.lacks is not None:
            text += f" without {self.lacks!r}"
        return text

    def matches(self, response, body: bytes, world: SimpleNamespace) -> bool:
        if self.status is None:
            return response.status_code < 500
        if response.status_code != self.status:
            return False
        if self.location is not None:
            wanted = self.location.format(w=world)
            location = response.get("Location", "")
            if not (location.startswith(wanted[:-1]) if wanted.endswith("*") else location == wanted):
                return False
        if self.lacks is not None and self.lacks.encode() in body:
            return False
        return self.contains is None or self.contains.encode() in body


OK = Expect(200)
FORBIDDEN = Expect(403)
NOT_FOUND = Expect(404)
POST_ONLY = Expect(405)  # a view that accepts POST only, asked with GET
HANDLED = Expect(None)
SERVER_ERROR = Expect(500)
LOGIN = Expect(302, "/en/accounts/login/?next=*")
ADMIN_REFUSED = Expect(302, "/admin/")
REDIRECTED_404 = Expect(302, "/en/*")
DIRECTORY_REFUSAL = Expect(200, contains="The directory is open to active, civilian and honorary members")


def redirect(location: str) -> Expect:
    return Expect(302, location)


def ok_with(text: str) -> Expect:
    return Expect(200, contains=text)


def roles(**spec: Expect) -> dict[str, Expect]:
    """Expectations by role; keys are roles or GROUPS, applied in order (a later key overrides)."""
    result = {}
    for name, expect in spec.items():
        for role in GROUPS.get(name, (name,)):
            if role not in ROLES:
                raise ValueError(f"unknown role or group {name!r}")
            result[role] = expect
    if missing := [role for role in ROLES if role not in result]:
        raise ValueError(f"no expectation for {missing}")
    return result


def reveal(markers: Iterable[str], *who: str) -> dict[str, frozenset[str]]:
    """The markers these roles (or GROUPS) may see in a response."""
    found = frozenset(markers)
    if unknown := found - MARKERS.keys():
        raise ValueError(f"unknown markers {unknown}")
    return {role: found for name in who for role in GROUPS.get(name, (name,))}


UrlSpec = str | Callable[[SimpleNamespace, str], str]


@dataclass(frozen=True)
class Probe:
    """One GET per role. `url` is a template filled with `w` (the world) or a function of (world, role);
    `reveals` names the markers a role may see in this response."""

    url: UrlSpec
    expect: Mapping[str, Expect]
    reveals: Mapping[str, frozenset[str]] = field(default_factory=dict)
    resolves_to: str | None = None  # a shadowed route: the key its URL reaches instead

    def build_url(self, world: SimpleNamespace, role: str) -> str:
        return self.url(world, role) if callable(self.url) else self.url.format(w=world)


def probe(url: UrlSpec, expect, reveals=None, *, resolves_to: str | None = None) -> Probe:
    return Probe(url, expect, reveals or {}, resolves_to)


@dataclass(frozen=True)
class Entry:
    key: str
    probes: tuple[Probe, ...]
    optional: bool = False  # routed in some configurations only: not reported as stale when absent


def entry(route: str, name: str, *probes: Probe, optional: bool = False) -> Entry:
    return Entry(f"{route} [{name}]" if name else route, probes, optional)


def staff_view(*allowed: str, granted=OK, refused=ADMIN_REFUSED) -> dict:
    """An admin page: who may not open the admin is sent to login; staff without the right are refused."""
    return roles(non_staff=LOGIN, staff=refused, **dict.fromkeys(allowed, granted))


SIGNED_IN_PAGE = roles(anonymous=LOGIN, signed_in=OK)


def forum_page(granted=OK, **others: Expect) -> dict[str, Expect]:
    """A forum page: people without any forum get the refusal page (403); the Community of Practice forum's
    readers get `granted`, or what `others` says for a role."""
    spec = {"anonymous": LOGIN, "signed_in": FORBIDDEN, **dict.fromkeys(FORUM_READERS, granted)}
    return roles(**{**spec, **others})


def group_page(granted=OK) -> dict[str, Expect]:
    """A page of the working group's forum: "not found" for forum readers outside the group."""
    return forum_page(NOT_FOUND, **dict.fromkeys(GROUP_READERS, granted))


def forum_reveals(*, forum: Iterable[str] = FORUM_READERS, group: Iterable[str] = GROUP_READERS):
    """Who may see the forum topic's marker and who the working group's."""
    seen: dict[str, set[str]] = {}
    for marker, who in (("forum_post", forum), ("group_post", group)):
        for role, found in reveal([marker], *who).items():
            seen.setdefault(role, set()).update(found)
    return {role: frozenset(found) for role, found in seen.items()}


def mentoring_page(network=OK, **others: Expect) -> dict[str, Expect]:
    """A members' mentoring page: network members get `network`; other signed-in people the page that says
    why not (403)."""
    return roles(anonymous=LOGIN, signed_in=FORBIDDEN, network=network, **others)


def coordinator_page(granted=OK) -> dict[str, Expect]:
    return roles(anonymous=LOGIN, signed_in=FORBIDDEN, **dict.fromkeys(MENTORING_COORDINATORS, granted))


PUBLIC_PAGE = roles(everyone=OK)
POST_ONLY_SIGNED_IN = roles(anonymous=LOGIN, signed_in=POST_ONLY)
FORUM_PAGE = forum_page()
MENTORING_PAGE = mentoring_page()
GROUP_PAGE = group_page()


def library_reveals() -> dict[str, frozenset[str]]:
    """Who may see each library document's marker (its summary, on the library's pages)."""
    seen: dict[str, set[str]] = {}
    for marker, readers in LIBRARY_READERS.items():
        for role, found in reveal([marker], *readers).items():
            seen.setdefault(role, set()).update(found)
    return {role: frozenset(found) for role, found in seen.items()}


def library_probes(template: str, *, with_marker: bool = False, public=PUBLIC_PAGE) -> list[Probe]:
    """One probe per library document of the world (its readers get it, everyone else 404), one for the
    public document, and one for an id that does not exist."""
    probes = [probe(template.format(pk="{w.document.pk}"), public)]
    for marker, readers in LIBRARY_READERS.items():
        granted = ok_with(MARKERS[marker]) if with_marker else OK
        probes.append(
            probe(
                template.format(pk=f"{{w.library[{marker}].pk}}"),
                roles(everyone=NOT_FOUND, **dict.fromkeys(readers, granted)),
                reveal([marker], *readers),
            )
        )
    probes.append(probe(template.format(pk="999999"), roles(everyone=NOT_FOUND)))
    return probes


def restricted_page(slug: str, readers: str, marker: str) -> Probe:
    """A Wagtail page above "public" (cms/wagtail_hooks.py): anonymous visitors log in, signed-in people below
    its level get 403. Staff accounts have no membership category, so they are below every level."""
    expect = roles(anonymous=LOGIN, signed_in=FORBIDDEN, **{readers: ok_with(MARKERS[marker])})
    return probe(f"/en/{slug}/", expect, reveal([marker], readers))


def model_viewset(
    prefix: str,
    namespace: str,
    pk: str,
    allowed: tuple[str, ...],
    *,
    view_only: bool,
    reveals: Iterable[str] = (),
    index_probes: Iterable[Probe] = (),
    inspect: bool = False,
):
    """The routes of one of our Wagtail ModelViewSets: index, results, new, edit, delete, history, usage
    (and inspect). `view_only`: its permission policy grants "view" and nothing else (membership data only
    changes through the service views), so the generic change views refuse the allowed roles too."""
    view = staff_view(*allowed)
    change = staff_view() if view_only else view
    shown = reveal(reveals, *allowed)
    base = f"admin/{prefix}"
    entries = [
        entry(f"{base}/", f"{namespace}:index", probe(f"/{base}/", view, shown), *index_probes),
        entry(f"{base}/results/", f"{namespace}:index_results", probe(f"/{base}/results/", view, shown)),
        entry(f"{base}/new/", f"{namespace}:add", probe(f"/{base}/new/", change, shown)),
    ]
    for action in ("edit", "delete", "history", "history-results", "usage"):
        name = f"{namespace}:{action.replace('-', '_')}"
        entries.append(entry(f"{base}/{action}/<int:pk>/", name, probe(f"/{base}/{action}/{pk}/", change, shown)))
    if inspect:
        entries.append(
            entry(f"{base}/inspect/<int:pk>/", f"{namespace}:inspect", probe(f"/{base}/inspect/{pk}/", view, shown))
        )
    return entries


def chooser_routes(base: str, namespace: str, pk: str, choose, create, reveals=None) -> list[Entry]:
    """The routes of a Wagtail chooser viewset (the modal that picks an object in an edit form)."""
    return [
        entry(f"{base}/", f"{namespace}:choose", probe(f"/{base}/", choose, reveals)),
        entry(f"{base}/results/", f"{namespace}:choose_results", probe(f"/{base}/results/", choose, reveals)),
        entry(f"{base}/chosen/<str:pk>/", f"{namespace}:chosen", probe(f"/{base}/chosen/{pk}/", choose, reveals)),
        entry(
            f"{base}/chosen-multiple/",
            f"{namespace}:chosen_multiple",
            probe(f"/{base}/chosen-multiple/?id={pk}", choose, reveals),
        ),
        entry(f"{base}/create/", f"{namespace}:create", probe(f"/{base}/create/", create)),
    ]


def snippet_routes(app: str, model: str, pk: str, listing, *, copy: bool, drafts: str = "") -> list[Entry]:
    """The routes of one of our snippets; `drafts`: the snippet has drafts and revisions (this one's id)."""
    base = f"admin/snippets/{app}/{model}"
    namespace = f"wagtailsnippets_{app}_{model}"
    entries = [
        entry(f"{base}/", f"{namespace}:list", probe(f"/{base}/", listing)),
        entry(f"{base}/results/", f"{namespace}:list_results", probe(f"/{base}/results/", listing)),
        entry(f"{base}/add/", f"{namespace}:add", probe(f"/{base}/add/", listing)),
    ]
    actions = ["edit", "delete", "usage", "history", "history-results"]
    actions += ["copy"] if copy else []
    actions += ["unpublish"] if drafts else []
    for action in actions:
        name = f"{namespace}:{action.replace('-', '_')}"
        entries.append(entry(f"{base}/{action}/<int:pk>/", name, probe(f"/{base}/{action}/{pk}/", listing)))
    if drafts:
        revisions = f"{base}/history/<int:pk>/revisions"
        entries += [
            entry(
                f"{revisions}/<int:revision_id>/revert/",
                f"{namespace}:revisions_revert",
                probe(f"/{base}/history/{pk}/revisions/{drafts}/revert/", listing),
            ),
            entry(
                f"{revisions}/<int:revision_id>/unschedule/",
                f"{namespace}:revisions_unschedule",
                probe(f"/{base}/history/{pk}/revisions/{drafts}/unschedule/", listing),
            ),
            entry(
                f"{base}/history/(?P<pk>.+)/revisions/compare/(?P<revision_id_a>live|earliest|\\d+)"
                r"\.\.\.(?P<revision_id_b>live|latest|\d+)/$",
                f"{namespace}:revisions_compare",
                probe(f"/{base}/history/{pk}/revisions/compare/earliest...latest/", listing),
            ),
        ]
    return entries


def own_action_url(action: str) -> Callable[[SimpleNamespace, str], str]:
    """The role's own advocacy action; staff log none (they are not members), so they get someone else's."""

    def url(world: SimpleNamespace, role: str) -> str:
        pk = world.own_action[role].pk if role in world.own_action else world.others_action.pk
        return f"/en/members/advocacy/{pk}/{action}/"

    return url


# --- expectations of our routes --------------------------------------------------------------------------------

ENTRIES: list[Entry] = [
    # --- config/urls.py ---
    entry("healthz/", "healthz", probe("/healthz/", PUBLIC_PAGE)),
    # States only "ok"/"down" per dependency: no address, secret or version for anyone.
    entry("healthz/ready/", "healthz_ready", probe("/healthz/ready/", PUBLIC_PAGE)),
    entry("sitemap.xml", "sitemap", probe("/sitemap.xml", PUBLIC_PAGE)),
    entry("robots.txt", "robots_txt", probe("/robots.txt", PUBLIC_PAGE)),
    # Mail servers post replies by email here with FORUMS_INBOUND_SECRET (forums/views_inbound.py); the secret
    # is unset here, so the endpoint is off: a plain 404 for everyone, not a redirect to /en/.
    entry(
        "forums/inbound-email/",
        "forums_inbound_email",
        probe("/forums/inbound-email/", roles(everyone=NOT_FOUND)),
    ),
    # Wagtail's own admin login would skip allauth's second factor: every admin login goes through allauth.
    entry("admin/login/", "", probe("/admin/login/", roles(everyone=redirect("/en/accounts/login/")))),
    entry(
        "admin/login/",
        "wagtailadmin_login",
        probe("/admin/login/", roles(everyone=redirect("/en/accounts/login/")), resolves_to="admin/login/"),
    ),
    # Uploaded public files, routed by Django only while settings.DEBUG is on when the URLconf loads.
    entry("^media/(?P<path>.*)$", "", probe("/media/no-such-file.png", roles(everyone=NOT_FOUND)), optional=True),
    # Wagtail's document URL, served by the library (library/urls_documents.py): a public document for everyone,
    # a restricted one only for its readers: "not found" for the others, as for an id that does not exist.
    entry(
        r"documents/(\d+)/(.*)$",
        "wagtaildocs_serve",
        probe("/documents/{w.document.pk}/{w.document.filename}", PUBLIC_PAGE),
        *(
            probe(
                f"/documents/{{w.library[{marker}].pk}}/{{w.library[{marker}].filename}}",
                roles(everyone=NOT_FOUND, **dict.fromkeys(readers, OK)),
            )
            for marker, readers in LIBRARY_READERS.items()
        ),
        probe("/documents/999999/guess.pdf", roles(everyone=NOT_FOUND)),
    ),
    entry(
        "documents/authenticate_with_password/<int:restriction_id>/",
        "wagtaildocs_authenticate_with_password",
        probe("/documents/authenticate_with_password/999999/", roles(everyone=REDIRECTED_404)),
    ),
    # The benchmark's bare signed-in view (network/views/bench.py), routed only with settings.BENCH_VIEWS.
    entry("bench/signed-in/", "bench_signed_in", probe("/bench/signed-in/", SIGNED_IN_PAGE), optional=True),
    # --- network/urls.py: the members' area, each role's own sections; what is closed is said, not shown ---
    entry(
        "en/members/",
        "network:members_area",
        probe(
            "/en/members/",
            roles(
                anonymous=LOGIN,
                signed_in=ok_with("Not open to you yet"),
                observer=ok_with("observers do not have access"),
                network=ok_with("Search the directory"),
                community=Expect(200, contains="Enter the Community of Practice", lacks="Not open to you yet"),
                staff=ok_with("Open the administration"),
            ),
        ),
    ),
    # --- profiles (not found rather than forbidden: a hidden profile's existence is private) ---
    # Her own profile lists her latest forum posts (forums/areas.py): the civilian and honorary members wrote some.
    entry(
        "en/members/me/",
        "network:my_profile",
        probe("/en/members/me/", SIGNED_IN_PAGE, forum_reveals(forum=["community"], group=["honorary"])),
    ),
    entry("en/members/me/edit/", "network:edit_profile", probe("/en/members/me/edit/", SIGNED_IN_PAGE)),
    entry(
        "en/members/<uuid:public_id>/",
        "network:member_profile",
        probe(
            "/en/members/{w.subject.public_id}/",
            roles(anonymous=LOGIN, signed_in=NOT_FOUND, network=ok_with("Rwanda National Police")),
        ),
        probe(f"/en/members/{uuid.UUID(int=7)}/", roles(anonymous=LOGIN, signed_in=NOT_FOUND)),
    ),
    entry(
        "en/members/<uuid:public_id>/photo/",
        "network:member_photo",
        probe("/en/members/{w.subject.public_id}/photo/", roles(anonymous=LOGIN, signed_in=NOT_FOUND, network=OK)),
    ),
    # --- applications ---
    entry("en/members/membership/", "network:my_membership", probe("/en/members/membership/", SIGNED_IN_PAGE)),
    entry("en/members/membership/apply/", "network:apply", probe("/en/members/membership/apply/", SIGNED_IN_PAGE)),
    entry(
        "en/members/membership/apply/<slug:category>/",
        "network:apply_details",
        # Applying for the category one already has sends back to "My membership".
        probe(
            "/en/members/membership/apply/civilian/",
            roles(anonymous=LOGIN, signed_in=OK, civilian=redirect("/en/members/membership/")),
        ),
        probe("/en/members/membership/apply/sergeant/", roles(anonymous=LOGIN, signed_in=NOT_FOUND)),
    ),
    entry(
        "en/members/membership/application/update/",
        "network:update_application",
        # No role's application waits for more information.
        probe(
            "/en/members/membership/application/update/",
            roles(anonymous=LOGIN, signed_in=redirect("/en/members/membership/")),
        ),
    ),
    # --- directory and messages: the network only; others read who may enter and how ---
    entry(
        "en/members/directory/",
        "network:directory",
        probe("/en/members/directory/", roles(everyone=DIRECTORY_REFUSAL, network=ok_with("Sabine Subject"))),
    ),
    entry(
        "en/members/<uuid:public_id>/contact/",
        "network:contact_member",
        probe(
            "/en/members/{w.subject.public_id}/contact/",
            roles(anonymous=LOGIN, signed_in=DIRECTORY_REFUSAL, network=ok_with('name="body"')),
        ),
    ),
    entry(
        "en/members/messages/",
        "network:inbox",
        probe("/en/members/messages/", SIGNED_IN_PAGE, reveal(["message"], "community")),
    ),
    entry(
        "en/members/messages/<int:pk>/",
        "network:message_detail",
        # Only the two participants see a message.
        probe(
            "/en/members/messages/{w.message.pk}/",
            roles(anonymous=LOGIN, signed_in=NOT_FOUND, community=ok_with(MARKERS["message"])),
            reveal(["message"], "community"),
        ),
    ),
    # --- notifications: each person's own; an unsubscribe link works without signing in ---
    entry("en/members/notifications/", "network:notifications", probe("/en/members/notifications/", SIGNED_IN_PAGE)),
    entry(
        "en/members/notifications/read/",
        "network:mark_notifications_read",
        probe("/en/members/notifications/read/", POST_ONLY_SIGNED_IN),
    ),
    entry(
        "en/members/notifications/emails/resume/",
        "network:resume_notification_emails",
        probe("/en/members/notifications/emails/resume/", POST_ONLY_SIGNED_IN),
    ),
    entry(
        "en/members/notifications/<int:pk>/open/",
        "network:open_notification",
        # The civilian member's notification: opened (and read) by her only.
        probe(
            "/en/members/notifications/{w.notification.pk}/open/",
            roles(anonymous=LOGIN, signed_in=NOT_FOUND, civilian=Expect(302, "/en/forums/posts/*")),
        ),
    ),
    entry(
        "en/notifications/unsubscribe/<str:token>/",
        "network:notification_unsubscribe",
        probe("{w.unsubscribe_path}", roles(everyone=ok_with("Practice"))),
        probe("/en/notifications/unsubscribe/forged-token/", roles(everyone=Expect(400))),
    ),
    # --- community of practice ---
    entry("en/members/community/", "network:community_status", probe("/en/members/community/", PUBLIC_PAGE)),
    entry(
        "en/members/community/home/",
        "network:community_home",
        probe(
            "/en/members/community/home/",
            roles(anonymous=LOGIN, signed_in=FORBIDDEN, community=ok_with("Log an advocacy action")),
            # The latest discussions panel (forums/areas.py) lists the topics each may read.
            forum_reveals(forum=["community"], group=["honorary"]),
        ),
    ),
    entry(
        "en/members/community/requests/",
        "network:community_requests",
        # Network members endorse the pending requests of members they can find in the directory.
        probe(
            "/en/members/community/requests/",
            roles(
                anonymous=LOGIN,
                signed_in=redirect("/en/members/community/"),
                network=ok_with(MARKERS["motivation"]),
            ),
            reveal(["motivation"], "network"),
        ),
    ),
    entry(
        "en/members/community/requests/<int:pk>/endorse/",
        "network:endorse_community_request",
        probe("/en/members/community/requests/{w.pending_request.pk}/endorse/", POST_ONLY_SIGNED_IN),
    ),
    # --- privacy ---
    entry("en/members/terms/", "network:terms", probe("/en/members/terms/", PUBLIC_PAGE)),
    entry("en/members/me/privacy/", "network:privacy", probe("/en/members/me/privacy/", SIGNED_IN_PAGE)),
    entry("en/members/me/export/", "network:export_data", probe("/en/members/me/export/", SIGNED_IN_PAGE)),
    entry("en/members/me/delete/", "network:delete_account", probe("/en/members/me/delete/", SIGNED_IN_PAGE)),
    # --- advocacy: admitted members log their own; someone else's action is "not found" ---
    entry(
        "en/members/advocacy/",
        "advocacy:advocacy_actions",
        probe("/en/members/advocacy/", roles(anonymous=LOGIN, members=OK, staff=FORBIDDEN)),
    ),
    *[
        entry(
            f"en/members/advocacy/<int:pk>/{action}/",
            f"advocacy:{action}_advocacy_action",
            probe(
                f"/en/members/advocacy/{{w.others_action.pk}}/{action}/",
                roles(anonymous=LOGIN, members=NOT_FOUND, staff=FORBIDDEN),
            ),
            probe(own_action_url(action), roles(anonymous=LOGIN, members=OK, staff=FORBIDDEN)),
        )
        for action in ("edit", "delete")
    ],
    # --- campaigns/urls.py: a members-only campaign is "not found" for whoever may not see it ---
    entry(
        "en/campaigns/",
        "campaigns:campaign_list",
        probe("/en/campaigns/", PUBLIC_PAGE, reveal(["inner_campaign"], *MEMBERS_CAMPAIGN_READERS)),
    ),
    entry(
        "en/campaigns/<slug:slug>/",
        "campaigns:campaign_detail",
        probe("/en/campaigns/open-campaign/", PUBLIC_PAGE),
        probe(
            "/en/campaigns/inner-campaign/",
            roles(everyone=NOT_FOUND, **dict.fromkeys(MEMBERS_CAMPAIGN_READERS, OK)),
            reveal(["inner_campaign"], *MEMBERS_CAMPAIGN_READERS),
        ),
        probe("/en/campaigns/no-such-campaign/", roles(everyone=NOT_FOUND)),
    ),
    *[
        entry(
            f"en/campaigns/<slug:slug>/targets/<int:target_id>/{suffix}",
            name,
            probe(f"/en/campaigns/open-campaign/targets/{{w.public_target.pk}}/{suffix}", PUBLIC_PAGE),
            probe(
                f"/en/campaigns/inner-campaign/targets/{{w.inner_target.pk}}/{suffix}",
                roles(everyone=NOT_FOUND, **dict.fromkeys(MEMBERS_CAMPAIGN_READERS, OK)),
                reveal(["inner_campaign"], *MEMBERS_CAMPAIGN_READERS),
            ),
            # A target is found only under its own campaign.
            probe(f"/en/campaigns/open-campaign/targets/{{w.inner_target.pk}}/{suffix}", roles(everyone=NOT_FOUND)),
        )
        for suffix, name in [("", "campaigns:target_detail"), ("history.csv", "campaigns:target_history_csv")]
    ],
    entry(
        "en/campaigns/<slug:slug>/contributors/",
        "campaigns:campaign_contributors",
        probe("/en/campaigns/open-campaign/contributors/", POST_ONLY_SIGNED_IN),
    ),
    entry(
        "en/campaigns/<slug:slug>/contributors/<int:contributor_id>/nominate/",
        "campaigns:nominate_contributor",
        probe("/en/campaigns/open-campaign/contributors/{w.contributor.pk}/nominate/", POST_ONLY_SIGNED_IN),
    ),
    # --- forums/urls.py: the community's forums; a working group's forum is "not found" outside the group ---
    entry(
        "en/forums/",
        "forums:forum_index",
        probe("/en/forums/", FORUM_PAGE, forum_reveals()),
    ),
    entry(
        "en/forums/latest/",
        "forums:latest",
        probe("/en/forums/latest/", FORUM_PAGE, forum_reveals()),
    ),
    entry(
        "en/forums/moderation/",
        "forums:moderation",
        probe(
            "/en/forums/moderation/",
            roles(anonymous=LOGIN, signed_in=FORBIDDEN, **dict.fromkeys(FORUM_MODERATORS, ok_with("Flagged posts"))),
            reveal(["forum_post", "group_post"], *FORUM_MODERATORS),
        ),
    ),
    entry(
        "en/forums/mentions/",
        "forums:mention_suggestions",
        # Only members the writer may see: the subject shares her profile with the network (staff accounts,
        # outside the network, see no profile at all).
        probe(
            "/en/forums/mentions/?q=sabine",
            forum_page(ok_with("sabine.subject"), **dict.fromkeys(FORUM_MODERATORS, Expect(200, lacks="sabine"))),
        ),
    ),
    entry(
        "en/forums/members/<uuid:public_id>/posts/",
        "forums:member_posts",
        # The honorary member's posts: the working group's one only for those in it.
        probe(
            "/en/forums/members/{w.users[honorary].member.public_id}/posts/",
            roles(
                anonymous=LOGIN,
                signed_in=NOT_FOUND,
                members=NOT_FOUND,
                network=OK,
                honorary=OK,
            ),
            forum_reveals(),
        ),
    ),
    entry(
        "en/forums/members/<uuid:public_id>/suspend/",
        "forums:suspend_member",
        probe(
            "/en/forums/members/{w.subject.public_id}/suspend/",
            roles(anonymous=LOGIN, signed_in=FORBIDDEN, **dict.fromkeys(FORUM_MODERATORS, OK)),
        ),
    ),
    entry(
        "en/forums/topics/<int:pk>/",
        "forums:topic_detail",
        probe("/en/forums/topics/{w.forum_topic.pk}/", FORUM_PAGE, reveal(["forum_post"], *FORUM_READERS)),
        probe("/en/forums/topics/{w.group_topic.pk}/", GROUP_PAGE, reveal(["group_post"], *GROUP_READERS)),
        probe(
            "/en/forums/topics/999999/",
            roles(anonymous=LOGIN, signed_in=FORBIDDEN, **dict.fromkeys(FORUM_READERS, NOT_FOUND)),
        ),
    ),
    entry(
        "en/forums/topics/<int:pk>/unread/",
        "forums:topic_unread",
        probe("/en/forums/topics/{w.forum_topic.pk}/unread/", forum_page(Expect(302, "/en/forums/topics/*"))),
        probe("/en/forums/topics/{w.group_topic.pk}/unread/", group_page(Expect(302, "/en/forums/topics/*"))),
    ),
    *[
        entry(
            f"en/forums/topics/<int:pk>/{action}/",
            f"forums:{name}",
            probe(f"/en/forums/topics/{{w.group_topic.pk}}/{action}/", forum_page(POST_ONLY)),
        )
        for action, name in [
            ("reply", "reply"),
            ("draft", "autosave_draft"),
            ("watch", "watch_topic"),
            ("moderate", "moderate_topic"),
        ]
    ],
    entry(
        "en/forums/posts/<int:pk>/",
        "forums:post_link",
        probe("/en/forums/posts/{w.forum_reply.pk}/", forum_page(Expect(302, "/en/forums/topics/*"))),
        probe("/en/forums/posts/{w.group_topic.last_post_id}/", group_page(Expect(302, "/en/forums/topics/*"))),
    ),
    *[
        entry(
            f"en/forums/posts/<int:pk>/{action}/",
            f"forums:{name}",
            # The civilian member's reply: she and the moderators may change it.
            probe(
                f"/en/forums/posts/{{w.forum_reply.pk}}/{action}/",
                forum_page(refused, civilian=OK, **dict.fromkeys(FORUM_MODERATORS, OK)),
                forum_reveals(),
            ),
            probe(f"/en/forums/posts/{{w.group_topic.last_post_id}}/{action}/", GROUP_PAGE, forum_reveals()),
        )
        for action, name, refused in [
            ("edit", "edit_post", FORBIDDEN),
            ("delete", "delete_post", FORBIDDEN),
            ("history", "post_history", NOT_FOUND),
        ]
    ],
    entry(
        "en/forums/posts/<int:pk>/flag/",
        "forums:flag_post",
        probe("/en/forums/posts/{w.forum_reply.pk}/flag/", FORUM_PAGE, forum_reveals()),
        probe("/en/forums/posts/{w.group_topic.last_post_id}/flag/", GROUP_PAGE, forum_reveals()),
    ),
    *[
        entry(
            f"en/forums/posts/<int:pk>/{action}/",
            f"forums:{name}",
            probe(f"/en/forums/posts/{{w.group_topic.last_post_id}}/{action}/", forum_page(POST_ONLY)),
        )
        for action, name in [("helpful", "helpful"), ("accept", "accept_answer"), ("moderate", "moderate_post")]
    ],
    entry(
        "en/forums/attachments/<int:pk>/",
        "forums:attachment",
        # A working group's file: only through this view, only for the group (and moderators).
        probe("/en/forums/attachments/{w.group_attachment.pk}/", GROUP_PAGE),
    ),
    entry(
        "en/forums/<slug:slug>/",
        "forums:forum_detail",
        probe("/en/forums/practice/", FORUM_PAGE, reveal(["forum_post"], *FORUM_READERS)),
        probe("/en/forums/working-group/", GROUP_PAGE, reveal(["group_post"], *GROUP_READERS)),
        probe("/en/forums/no-such-forum/", forum_page(NOT_FOUND)),
    ),
    entry(
        "en/forums/<slug:slug>/new/",
        "forums:new_topic",
        probe("/en/forums/practice/new/", FORUM_PAGE),
        probe("/en/forums/working-group/new/", GROUP_PAGE),
    ),
    entry(
        "en/forums/<slug:slug>/follow/",
        "forums:forum_delivery",
        probe("/en/forums/working-group/follow/", forum_page(POST_ONLY)),
    ),
    # --- library/urls.py: a document someone may not open is "not found", its files too ---
    entry(
        "en/library/",
        "library:home",
        probe("/en/library/", PUBLIC_PAGE, library_reveals()),
        probe("/en/library/?year=abc&topic=%27%3B--&page=x", PUBLIC_PAGE, library_reveals()),
    ),
    entry(
        "en/library/<int:pk>/",
        "library:document_detail",
        *library_probes("/en/library/{pk}/", with_marker=True),
    ),
    entry("en/library/<int:pk>/download/", "library:document_download", *library_probes("/en/library/{pk}/download/")),
    entry(
        "en/library/<int:pk>/versions/<int:number>/download/",
        "library:version_download",
        *library_probes("/en/library/{pk}/versions/1/download/"),
        probe("/en/library/{w.document.pk}/versions/9/download/", roles(everyone=NOT_FOUND)),
    ),
    entry(
        "en/library/<int:pk>/preview.png",
        "library:document_preview",
        *library_probes(
            # The public document's file is not a real PDF: no preview was drawn, for anyone.
            "/en/library/{pk}/preview.png",
            public=roles(everyone=NOT_FOUND),
        ),
    ),
    # --- cms/urls.py ---
    entry("en/feeds/stories/rss/", "cms:stories_rss", probe("/en/feeds/stories/rss/", PUBLIC_PAGE)),
    entry("en/feeds/stories/atom/", "cms:stories_atom", probe("/en/feeds/stories/atom/", PUBLIC_PAGE)),
    # --- search/urls.py: results only from the pages the visitor may open ---
    entry(
        "en/search/",
        "search:site_search",
        probe("/en/search/", PUBLIC_PAGE),
        probe(
            "/en/search/?q=Okapi",  # a word of the community page's introduction
            roles(everyone=Expect(200, lacks="community corner"), community=ok_with("community corner")),
            reveal(["community_page"], "community"),
        ),
        # Forum topics: found by whoever forums/permissions.py lets read the forum — the Community of Practice
        # (by level) and the forum moderators, who hold no membership level; the working group's topic by its
        # group and the moderators. Other staff (editors, officers, organisers, coordinators) find neither.
        probe(
            "/en/search/?q=Pangolin",
            roles(
                everyone=Expect(200, lacks=MARKERS["forum_post"]),
                **dict.fromkeys(FORUM_READERS, ok_with(MARKERS["forum_post"])),
            ),
            reveal(["forum_post"], *FORUM_READERS),
        ),
        probe(
            "/en/search/?q=Gecko+plan",
            roles(
                everyone=Expect(200, lacks=MARKERS["group_post"]),
                **dict.fromkeys(GROUP_READERS, ok_with(MARKERS["group_post"])),
            ),
            reveal(["group_post"], *GROUP_READERS),
        ),
        # Member profiles as the directory shows them: network members find the subject, nobody finds the rank
        # she keeps private, and the facets, counts and suggestions of others show nothing of her.
        probe(
            "/en/search/?q=Sabine+Subject",
            roles(everyone=Expect(200, lacks="Sabine Subject</a>"), network=ok_with("Sabine Subject</a>")),
        ),
        probe("/en/search/?q=Quokka", roles(everyone=Expect(200, lacks=MARKERS["hidden"]))),
        probe("/en/search/?q=Quokk&kind=member&year=x&page=7", roles(everyone=Expect(200, lacks="Did you mean"))),
        # The library's search: the same page, documents only.
        probe("/en/search/?kind=document", roles(everyone=ok_with("Search the library"))),
    ),
    # --- mentoring/urls.py: network members take part; a pair's pages are its own; coordinators see metadata ---
    entry("en/mentoring/", "mentoring:index", probe("/en/mentoring/", SIGNED_IN_PAGE)),
    entry(
        "en/mentoring/programmes/<slug:slug>/",
        "mentoring:programme_detail",
        probe("/en/mentoring/programmes/mentoring-world/", MENTORING_PAGE),
        probe("/en/mentoring/programmes/no-such-programme/", mentoring_page(NOT_FOUND)),
    ),
    entry(
        "en/mentoring/programmes/<slug:slug>/enrol/<slug:role>/",
        "mentoring:enrol",
        probe("/en/mentoring/programmes/mentoring-world/enrol/mentor/", MENTORING_PAGE),
        probe("/en/mentoring/programmes/mentoring-world/enrol/judge/", mentoring_page(NOT_FOUND)),
    ),
    entry(
        "en/mentoring/programmes/<slug:slug>/shortlist/",
        "mentoring:shortlist",
        probe(
            "/en/mentoring/programmes/mentoring-world/shortlist/",
            mentoring_page(Expect(302, "/en/mentoring/programmes/mentoring-world/enrol/mentee/"), civilian=OK),
        ),
    ),
    entry(
        "en/mentoring/programmes/<slug:slug>/request/",
        "mentoring:request_mentor",
        probe("/en/mentoring/programmes/mentoring-world/request/", mentoring_page(POST_ONLY)),
    ),
    entry(
        "en/mentoring/pairs/<int:pk>/",
        "mentoring:mentorship_detail",
        probe(
            "/en/mentoring/pairs/{w.mentorship.pk}/",
            mentoring_page(NOT_FOUND, civilian=OK, honorary=OK),
            reveal(["pair_note"], *MENTORING_PAIR),
        ),
        probe("/en/mentoring/pairs/999999/", mentoring_page(NOT_FOUND)),
    ),
    entry(
        "en/mentoring/pairs/<int:pk>/do/<slug:action>/",
        "mentoring:mentorship_action",
        probe("/en/mentoring/pairs/{w.mentorship.pk}/do/accept/", mentoring_page(POST_ONLY)),
    ),
    entry(
        "en/mentoring/pairs/<int:pk>/meetings/<int:meeting_pk>/invite.ics",
        "mentoring:meeting_invite",
        probe(
            "/en/mentoring/pairs/{w.mentorship.pk}/meetings/{w.meeting.pk}/invite.ics",
            mentoring_page(NOT_FOUND, civilian=OK, honorary=OK),
        ),
    ),
    entry(
        "en/mentoring/link/<str:token>/",
        "mentoring:email_link",
        # Opened by anyone holding the link (a mail scanner too): a confirmation page, nothing changes.
        probe("/en/mentoring/link/{w.mentoring_token}/", roles(everyone=OK)),
        probe("/en/mentoring/link/forged-token/", roles(everyone=Expect(400))),
    ),
    entry(
        "en/mentoring/coordinate/",
        "mentoring:dashboard",
        probe("/en/mentoring/coordinate/", coordinator_page()),
    ),
    entry(
        "en/mentoring/coordinate/export.csv",
        "mentoring:export_csv",
        probe("/en/mentoring/coordinate/export.csv", coordinator_page()),
    ),
    entry(
        "en/mentoring/coordinate/<slug:slug>/",
        "mentoring:coordinate_programme",
        probe("/en/mentoring/coordinate/mentoring-world/", coordinator_page()),
        probe("/en/mentoring/coordinate/no-such-programme/", coordinator_page(NOT_FOUND)),
    ),
    entry(
        "en/mentoring/coordinate/<slug:slug>/mentees/<int:enrolment_pk>/",
        "mentoring:manual_suggestions",
        probe("/en/mentoring/coordinate/mentoring-world/mentees/{w.mentorship.mentee_id}/", coordinator_page()),
    ),
    entry(
        "en/mentoring/coordinate/<slug:slug>/do/<slug:action>/",
        "mentoring:coordinate_action",
        probe("/en/mentoring/coordinate/mentoring-world/do/run/", coordinator_page(POST_ONLY)),
    ),
    # --- Wagtail's front end (wagtail.urls): pages by access level (cms/wagtail_hooks.py) ---
    entry(
        r"en/((?:[\w\-]+/)*)$",
        "wagtail_serve",
        # The home page lists the next courses each may see (events/queries.py).
        probe("/en/", PUBLIC_PAGE, reveal(["network_event"], "network")),
        probe("/en/open-page/", PUBLIC_PAGE),
        restricted_page("members-corner", "members", "members_page"),
        restricted_page("network-notes", "network", "network_page"),
        restricted_page("community-corner", "community", "community_page"),
        probe("/en/no-such-page/", roles(everyone=NOT_FOUND)),
        # The events pages: the index lists what each may see; a network-only course is refused below its
        # level like any page; the online link shows on the page to its participants and the organisers.
        probe("/en/events-index/", PUBLIC_PAGE, reveal(["network_event"], "network")),
        probe("/en/events-index/open-course/", PUBLIC_PAGE, reveal(["online_link"], "civilian", *EVENT_ORGANISERS)),
        restricted_page("events-index/network-course", "network", "network_event"),
    ),
    entry(
        "en/_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        "wagtailcore_authenticate_with_password",
        probe("/en/_util/authenticate_with_password/999999/{w.pages[public].pk}/", roles(everyone=NOT_FOUND)),
    ),
    # Wagtail's front-end login is Django's plain LoginView: a password alone would sign in, skipping allauth's
    # second factor (and email verification), after which /admin/ opens. Like admin/login/, config/urls.py
    # hands it over to allauth's login.
    entry("en/_util/login/", "", probe("/en/_util/login/", roles(everyone=redirect("/en/accounts/login/*")))),
    entry(
        "en/_util/login/",
        "wagtailcore_login",
        probe("/en/_util/login/", roles(everyone=redirect("/en/accounts/login/*")), resolves_to="en/_util/login/"),
    ),
    # --- allauth pages that gate access (the rest of en/accounts/ follows FAMILY_RULES) ---
    entry(
        "en/accounts/login/",
        "account_login",
        probe("/en/accounts/login/", roles(anonymous=OK, signed_in=redirect("/en/members/me/"))),
    ),
    entry(
        "en/accounts/signup/",
        "account_signup",
        probe("/en/accounts/signup/", roles(anonymous=OK, signed_in=redirect("/en/members/me/"))),
    ),
    entry("en/accounts/email/", "account_email", probe("/en/accounts/email/", SIGNED_IN_PAGE)),
    entry(
        "en/accounts/password/change/",
        "account_change_password",
        probe("/en/accounts/password/change/", SIGNED_IN_PAGE),
    ),
    entry("en/accounts/2fa/", "mfa_index", probe("/en/accounts/2fa/", SIGNED_IN_PAGE)),
    entry("en/accounts/sessions/", "usersessions_list", probe("/en/accounts/sessions/", SIGNED_IN_PAGE)),
    # --- the Wagtail admin: dashboard, the login page's public assets, switched-off and test routes ---
    entry(
        "admin/",
        "wagtailadmin_home",
        probe(
            "/admin/",
            roles(
                non_staff=LOGIN,
                staff=OK,
                # The pending-work panel (network/wagtail_hooks.py) shows each role its own queue.
                officer=ok_with("Membership applications waiting for a decision"),
                moderator=ok_with("Community of Practice access requests waiting for a decision"),
                administrator=ok_with("Community of Practice access requests waiting for a decision"),
            ),
        ),
    ),
    entry("admin/sprite/", "wagtailadmin_sprite", probe("/admin/sprite/", PUBLIC_PAGE)),
    entry("admin/jsi18n/", "wagtailadmin_javascript_catalog", probe("/admin/jsi18n/", PUBLIC_PAGE)),
    # WAGTAIL_PASSWORD_RESET_ENABLED is off: passwords are reset through allauth.
    *[
        entry(route, name, probe(url, roles(everyone=REDIRECTED_404)))
        for route, name, url in [
            ("admin/password_reset/", "wagtailadmin_password_reset", "/admin/password_reset/"),
            ("admin/password_reset/done/", "wagtailadmin_password_reset_done", "/admin/password_reset/done/"),
            (
                "admin/password_reset/confirm/<uidb64>/<token>/",
                "wagtailadmin_password_reset_confirm",
                "/admin/password_reset/confirm/x/y/",
            ),
            (
                "admin/password_reset/complete/",
                "wagtailadmin_password_reset_complete",
                "/admin/password_reset/complete/",
            ),
        ]
    ],
    # Wagtail's deliberate failure, to check that error reports reach the admins: staff only.
    entry(
        "admin/failwhale/",
        "wagtailadmin_error_test",
        probe("/admin/failwhale/", roles(non_staff=LOGIN, staff=SERVER_ERROR)),
    ),
    # Wagtail's catch-all under /admin/: its own login redirect (which config/urls.py sends on to allauth).
    entry(
        "admin/.*/$",
        "",
        probe(
            "/admin/no-such-admin-page/",
            roles(non_staff=redirect("/admin/login/?next=/admin/no-such-admin-page/"), staff=REDIRECTED_404),
        ),
    ),
    # --- our admin: membership applications, members, audit log (network/views/membership_admin.py) ---
    # --- forums/viewsets.py: the forum tree, for community moderators and administrators ---
    *model_viewset("forums", "forum_admin", "{w.forum_topic.forum_id}", FORUM_MODERATORS, view_only=False),
    entry(
        "admin/forums/copy/<int:pk>/",
        "forum_admin:copy",
        probe("/admin/forums/copy/{w.forum_topic.forum_id}/", staff_view(*FORUM_MODERATORS)),
    ),
    entry(
        "admin/forum-moderation/",
        "forums_admin_moderation",
        probe(
            "/admin/forum-moderation/",
            staff_view(*FORUM_MODERATORS, granted=ok_with("Flagged posts")),
            reveal(["forum_post", "group_post"], *FORUM_MODERATORS),
        ),
    ),
    *model_viewset(
        "membership/applications",
        "membership_applications",
        "{w.application.pk}",
        APPLICATION_REVIEWERS,
        view_only=True,
        inspect=True,
        reveals=STAFF_MEMBER_DATA,
        index_probes=[
            probe(
                "/admin/membership/applications/?export=csv",
                staff_view(*APPLICATION_REVIEWERS),
                reveal(STAFF_MEMBER_DATA, *APPLICATION_REVIEWERS),
            )
        ],
    ),
    *[
        entry(
            f"admin/membership/applications/{path}/<int:pk>/",
            f"membership_applications:{path.replace('-', '_')}",
            probe(
                f"/admin/membership/applications/{path}/{{w.application.pk}}/",
                staff_view(*APPLICATION_REVIEWERS),
                reveal(STAFF_MEMBER_DATA, *APPLICATION_REVIEWERS),
            ),
        )
        for path in ("approve", "reject", "request-info")
    ],
    entry(
        "admin/bulk/<str:app_label>/<str:model_name>/<str:action>/",
        "wagtail_bulk_action",
        probe(
            "/admin/bulk/network/membershipapplication/approve/?id={w.application.pk}",
            staff_view(*APPLICATION_REVIEWERS),
            reveal(STAFF_MEMBER_DATA, *APPLICATION_REVIEWERS),
        ),
        # No other bulk action exists for applications.
        probe(
            "/admin/bulk/network/membershipapplication/delete/?id={w.application.pk}",
            staff_view(refused=REDIRECTED_404),
        ),
    ),
    *model_viewset(
        "membership/members",
        "membership_members",
        "{w.subject.pk}",
        MEMBER_LIST_READERS,
        view_only=True,
        inspect=True,
        reveals=STAFF_MEMBER_DATA,
        index_probes=[
            probe(
                "/admin/membership/members/?export=csv",
                staff_view(*MEMBER_LIST_READERS, granted=ok_with(MARKERS["email"])),
                reveal(STAFF_MEMBER_DATA, *MEMBER_LIST_READERS),
            )
        ],
    ),
    *[
        entry(
            f"admin/membership/members/{path}/<int:pk>/",
            f"membership_members:{path.replace('-', '_')}",
            probe(
                f"/admin/membership/members/{path}/{{w.subject.pk}}/",
                staff_view(*APPLICATION_REVIEWERS),
                reveal(STAFF_MEMBER_DATA, *APPLICATION_REVIEWERS),
            ),
        )
        for path in ("change-category", "renew")
    ],
    *model_viewset(
        "membership/audit",
        "membership_audit",
        "{w.audit_entry.pk}",
        AUDIT_READERS,
        view_only=True,
        inspect=True,
        reveals=STAFF_MEMBER_DATA,
        index_probes=[
            probe(
                "/admin/membership/audit/?export=csv",
                staff_view(*AUDIT_READERS, granted=ok_with(MARKERS["email"])),
                reveal(STAFF_MEMBER_DATA, *AUDIT_READERS),
            )
        ],
    ),
    # --- community access requests (network/views/community_admin.py) ---
    entry(
        "admin/community-access/",
        "community_access:index",
        probe(
            "/admin/community-access/",
            staff_view(*COMMUNITY_MODERATORS, granted=ok_with("Sabine Subject")),
            reveal(STAFF_MEMBER_DATA, *COMMUNITY_MODERATORS),
        ),
    ),
    entry(
        "admin/community-access/<int:pk>/",
        "community_access:decide",
        probe(
            "/admin/community-access/{w.pending_request.pk}/",
            staff_view(*COMMUNITY_MODERATORS, granted=ok_with(MARKERS["motivation"])),
            reveal(STAFF_MEMBER_DATA, *COMMUNITY_MODERATORS),
        ),
    ),
    # --- member imports (network/views/imports.py) ---
    entry("admin/member-imports/", "member_imports:index", probe("/admin/member-imports/", staff_view(*IMPORTERS))),
    entry(
        "admin/member-imports/upload/",
        "member_imports:upload",
        probe("/admin/member-imports/upload/", staff_view(*IMPORTERS)),
    ),
    entry(
        "admin/member-imports/template.csv",
        "member_imports:template",
        probe("/admin/member-imports/template.csv", staff_view(*IMPORTERS)),
    ),
    entry(
        "admin/member-imports/<int:pk>/",
        "member_imports:progress",
        probe(
            "/admin/member-imports/{w.member_import.pk}/",
            staff_view(*IMPORTERS),
        ),
    ),
    entry(
        "admin/member-imports/<int:pk>/preview/",
        "member_imports:preview",
        # A finished import has no preview any more: back to its outcome.
        probe(
            "/admin/member-imports/{w.member_import.pk}/preview/",
            staff_view(*IMPORTERS, granted=redirect("/admin/member-imports/{w.member_import.pk}/")),
        ),
    ),
    # --- campaigns (campaigns/viewsets.py): editors and administrators, for every action ---
    *model_viewset(
        "campaigns",
        "network_campaign",
        "{w.inner_campaign.pk}",
        CAMPAIGN_EDITORS,
        view_only=False,
        reveals=["inner_campaign"],
    ),
    *model_viewset(
        "campaign-targets",
        "network_target",
        "{w.inner_target.pk}",
        CAMPAIGN_EDITORS,
        view_only=False,
        reveals=["inner_campaign"],
    ),
    *model_viewset(
        "recorded-values",
        "network_recorded_value",
        "{w.recorded_value.pk}",
        CAMPAIGN_EDITORS,
        view_only=False,
        reveals=["inner_campaign"],
    ),
    entry(
        "admin/recorded-values-import/",
        "network_recorded_value_import:import",
        probe("/admin/recorded-values-import/", staff_view(*CAMPAIGN_EDITORS)),
    ),
    *snippet_routes("campaigns", "statisticseries", "{w.series.pk}", staff_view(*CAMPAIGN_EDITORS), copy=False),
    # Wagtail's choosers (the modal that picks an object in an edit form) list to whoever opens the admin.
    # Statistic series are public figures; campaign targets are not all public: a members-only campaign and
    # its targets are not for moderators and officers (can_view_campaign), so the target chooser refuses them.
    *chooser_routes(
        "admin/snippets/choose/campaigns/statisticseries",
        "wagtailsnippetchoosers_campaigns_statisticseries",
        "{w.series.pk}",
        staff_view(*GROUPS["staff"]),
        staff_view(*CAMPAIGN_EDITORS),
    ),
    *chooser_routes(
        "admin/cms-target-chooser",
        "cms_target_chooser",
        "{w.inner_target.pk}",
        staff_view(*CAMPAIGN_EDITORS),
        staff_view(*CAMPAIGN_EDITORS),
        reveal(["inner_campaign"], *CAMPAIGN_EDITORS),
    ),
    # --- library topics (library/viewsets.py): editors and administrators ---
    *model_viewset("library_topics", "library_topics", "{w.topic.pk}", LIBRARY_MANAGERS, view_only=False),
    # --- mentoring programmes (mentoring/viewsets.py): mentoring coordinators and administrators ---
    *model_viewset(
        "mentoring_programmes",
        "mentoring_programmes",
        "{w.mentoring_programme.pk}",
        MENTORING_COORDINATORS,
        view_only=False,
    ),
    # --- trainings and events in the admin (events/wagtail_hooks.py): organisers and administrators ---
    entry(
        "admin/event-sessions/",
        "events_admin_sessions",
        probe("/admin/event-sessions/", staff_view(*EVENT_ORGANISERS, granted=ok_with("Open course"))),
    ),
    entry(
        "admin/event-sessions/<int:pk>/attendance/",
        "events_admin_attendance",
        probe(
            "/admin/event-sessions/{w.public_session.pk}/attendance/",
            staff_view(*EVENT_ORGANISERS, granted=ok_with("Sabine Subject")),
        ),
    ),
    # --- featured members (cms/wagtail_hooks.py): the editors who nominate contributors for the spotlight
    # review and publish them (can_nominate_for_spotlight); nominations arrive as drafts ---
    *snippet_routes(
        "cms",
        "featuredmember",
        "{w.featured.pk}",
        staff_view(*SPOTLIGHT_EDITORS),
        copy=True,
        drafts="{w.featured.latest_revision_id}",
    ),
    *chooser_routes(
        "admin/snippets/choose/cms/featuredmember",
        "wagtailsnippetchoosers_cms_featuredmember",
        "{w.featured.pk}",
        staff_view(*GROUPS["staff"]),
        staff_view(*SPOTLIGHT_EDITORS),
    ),
    # --- events/urls.py: trainings and events. Organisers (and administrators) see every event; a restricted
    # event is "not found" below its level; the online link is for participants (the civilian member) ---
    entry("en/events/my/", "events:my_registrations", probe("/en/events/my/", SIGNED_IN_PAGE)),
    entry(
        "en/events/my/calendar/reset/", "events:reset_feed", probe("/en/events/my/calendar/reset/", POST_ONLY_SIGNED_IN)
    ),
    entry(
        "en/events/calendar/<str:token>.ics",
        "events:calendar_feed",
        # The secret address is the key: whoever has it reads the feed (the civilian member's, with her link).
        probe("{w.feed_path}", roles(everyone=ok_with("BEGIN:VCALENDAR")), reveal(["online_link"], "everyone")),
        probe("/en/events/calendar/1.forged:token.ics", roles(everyone=NOT_FOUND)),
    ),
    entry(
        "en/events/sessions/<int:pk>/register/",
        "events:register",
        probe("/en/events/sessions/{w.public_session.pk}/register/", SIGNED_IN_PAGE),
        probe(
            "/en/events/sessions/{w.network_session.pk}/register/",
            roles(anonymous=LOGIN, signed_in=NOT_FOUND, network=OK),
            reveal(["network_event"], "network"),
        ),
    ),
    entry(
        "en/events/sessions/<int:pk>/calendar.ics",
        "events:session_ics",
        probe(
            "/en/events/sessions/{w.public_session.pk}/calendar.ics",
            PUBLIC_PAGE,
            reveal(["online_link"], "civilian", *EVENT_ORGANISERS),
        ),
        probe(
            "/en/events/sessions/{w.network_session.pk}/calendar.ics",
            roles(everyone=NOT_FOUND, network=OK),
            reveal(["network_event"], "network"),
        ),
    ),
    entry(
        "en/events/registrations/<int:pk>/cancel/",
        "events:cancel",
        probe("/en/events/registrations/{w.subject_registration.pk}/cancel/", POST_ONLY_SIGNED_IN),
    ),
    entry(
        "en/events/registrations/<int:pk>/confirm/",
        "events:confirm",
        probe("/en/events/registrations/{w.subject_registration.pk}/confirm/", POST_ONLY_SIGNED_IN),
    ),
    entry(
        "en/events/registrations/<int:pk>/letter/",
        "events:letter",
        probe(
            "/en/events/registrations/{w.subject_registration.pk}/letter/",
            roles(anonymous=LOGIN, signed_in=NOT_FOUND, **dict.fromkeys(EVENT_ORGANISERS, OK)),
        ),
    ),
    entry(
        "en/events/registrations/<int:pk>/certificate/",
        "events:certificate",
        probe(
            "/en/events/registrations/{w.subject_registration.pk}/certificate/",
            roles(anonymous=LOGIN, signed_in=NOT_FOUND, **dict.fromkeys(EVENT_ORGANISERS, ok_with("Sabine Subject"))),
        ),
    ),
    entry(
        "en/events/registrations/<int:pk>/certificate.pdf",
        "events:certificate_pdf",
        probe(
            "/en/events/registrations/{w.subject_registration.pk}/certificate.pdf",
            roles(anonymous=LOGIN, signed_in=NOT_FOUND, **dict.fromkeys(EVENT_ORGANISERS, OK)),
        ),
    ),
    # Anyone checks a certificate: name, course and dates, nothing else (no address, no note).
    entry(
        "en/events/verify/<str:code>/",
        "events:verify_certificate",
        probe(
            "/en/events/verify/{w.subject_registration.certificate_code}/", roles(everyone=ok_with("Sabine Subject"))
        ),
        probe("/en/events/verify/FORGED000000/", roles(everyone=Expect(404, contains="No certificate has this code"))),
    ),
    entry(
        "en/events/manage/",
        "events:manage_index",
        probe(
            "/en/events/manage/",
            roles(anonymous=LOGIN, signed_in=FORBIDDEN, **dict.fromkeys(EVENT_ORGANISERS, OK)),
            reveal(["network_event"], *EVENT_ORGANISERS),
        ),
    ),
    entry(
        "en/events/manage/sessions/<int:pk>/",
        "events:manage_session",
        probe(
            "/en/events/manage/sessions/{w.public_session.pk}/",
            roles(
                anonymous=LOGIN, signed_in=FORBIDDEN, **dict.fromkeys(EVENT_ORGANISERS, ok_with(MARKERS["nomination"]))
            ),
            reveal(["nomination"], *EVENT_ORGANISERS),
        ),
    ),
    entry(
        "en/events/manage/sessions/<int:pk>/attendance/",
        "events:attendance",
        probe(
            "/en/events/manage/sessions/{w.public_session.pk}/attendance/",
            roles(anonymous=LOGIN, signed_in=FORBIDDEN, **dict.fromkeys(EVENT_ORGANISERS, POST_ONLY)),
        ),
    ),
    entry(
        "en/events/manage/sessions/<int:pk>/message/",
        "events:message",
        probe(
            "/en/events/manage/sessions/{w.public_session.pk}/message/",
            roles(anonymous=LOGIN, signed_in=FORBIDDEN, **dict.fromkeys(EVENT_ORGANISERS, OK)),
        ),
    ),
    entry(
        "en/events/manage/registrations/<int:pk>/decide/",
        "events:decide",
        probe(
            "/en/events/manage/registrations/{w.subject_registration.pk}/decide/",
            roles(anonymous=LOGIN, signed_in=FORBIDDEN, **dict.fromkeys(EVENT_ORGANISERS, POST_ONLY)),
        ),
    ),
    entry(
        "en/events/manage/reports/",
        "events:reports",
        probe(
            "/en/events/manage/reports/",
            roles(
                anonymous=LOGIN,
                signed_in=FORBIDDEN,
                **dict.fromkeys(EVENT_ORGANISERS, ok_with("Participants by country")),
            ),
        ),
    ),
    entry(
        "en/events/manage/reports.csv",
        "events:reports_csv",
        probe(
            "/en/events/manage/reports.csv",
            roles(anonymous=LOGIN, signed_in=FORBIDDEN, **dict.fromkeys(EVENT_ORGANISERS, OK)),
            reveal(["network_event"], *EVENT_ORGANISERS),
        ),
    ),
]


@dataclass(frozen=True)
class FamilyRule:
    prefix: str
    why: str
    expect: Mapping[str, Expect]


FAMILY_RULES = [
    FamilyRule(
        "admin/",
        "Wagtail's own admin (hundreds of routes, filled with generic arguments): whoever may not open the admin "
        "is sent to the login page; staff get an answer that is not a server error (and no marker).",
        roles(non_staff=LOGIN, staff=HANDLED),
    ),
    FamilyRule(
        "en/accounts/",
        "allauth's account pages (login, signup, email, password, two-factor, sessions): no server error and "
        "no marker; the pages that gate access have their own entries.",
        roles(everyone=HANDLED),
    ),
]

# --- the routes ------------------------------------------------------------------------------------------------

OWN_MODULES = ("config.", "network.", "cms.", "forums.", "library.", "mentoring.", "search.")
OWN_APPS = {"network", "cms", "forums", "library", "mentoring", "search"}


@dataclass(frozen=True)
class Route:
    key: str
    route: str
    name: str
    segments: tuple
    own: bool  # from our URLconfs, our views or our admin viewsets: never covered by a family rule


def _module_name(urlconf) -> str | None:
    if isinstance(urlconf, ModuleType):
        return urlconf.__name__
    return urlconf if isinstance(urlconf, str) else None


@cache
def own_admin_namespaces() -> frozenset[str]:
    """URL namespaces of the admin viewsets we register (and of the choosers of our snippets)."""
    from wagtail.admin.viewsets import viewsets
    from wagtail.snippets.views.chooser import SnippetChooserViewSet

    if not get_resolver().url_patterns:  # loading the admin URLs is what registers the viewsets
        return frozenset()
    namespaces = set()
    for viewset in viewsets.viewsets:
        model = getattr(viewset, "model", None)
        own_model = isinstance(model, type) and model._meta.app_label in OWN_APPS
        if type(viewset).__module__.startswith(OWN_MODULES) or (
            isinstance(viewset, SnippetChooserViewSet) and own_model
        ):
            namespaces.add(viewset.url_namespace)
    return frozenset(namespaces)


def _walk(patterns, *, segments, namespaces, route, module, own_namespaces):
    for pattern in patterns:
        joined = URLResolver._join_route(route, str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            yield from _walk(
                pattern.url_patterns,
                segments=(*segments, pattern.pattern),
                namespaces=(*namespaces, pattern.namespace) if pattern.namespace else namespaces,
                route=joined,
                module=_module_name(pattern.urlconf_name) or module,
                own_namespaces=own_namespaces,
            )
            continue
        assert isinstance(pattern, URLPattern)
        name = ":".join((*namespaces, pattern.name)) if pattern.name else ""
        view = getattr(pattern.callback, "view_class", pattern.callback)
        own = (
            (module or "").startswith(OWN_MODULES)
            or view.__module__.startswith(OWN_MODULES)
            or any(namespace in own_namespaces for namespace in namespaces)
        )
        yield Route(f"{joined} [{name}]" if name else joined, joined, name, (*segments, pattern.pattern), own)


@cache
def all_routes() -> tuple[Route, ...]:
    resolver = get_resolver()
    with translation.override("en"):
        return tuple(
            _walk(
                resolver.url_patterns,
                segments=(),
                namespaces=(),
                route="",
                module=_module_name(resolver.urlconf_name),
                own_namespaces=own_admin_namespaces(),
            )
        )


def key_of(url: str) -> str:
    """The pattern key of the route a URL reaches."""
    match = resolve(urlsplit(url).path)
    name = match.view_name if match.url_name else ""
    return f"{match.route} [{name}]" if name else match.route


SAMPLE_VALUES = ("1", "x", "x/", str(uuid.UUID(int=1)), "latest")


@cache
def sample_url(route: Route) -> str | None:
    """A URL reaching this route, its arguments filled with generic values (for the family rules)."""
    template, params = "", []
    for segment in route.segments:
        text, names = normalize(segment.regex.pattern)[0]
        template += text
        params += names
    with translation.override("en"):
        for values in itertools.product(SAMPLE_VALUES, repeat=len(params)):
            url = "/" + template % dict(zip(params, values, strict=True))
            try:
                if key_of(url) == route.key:
                    return url
            except Resolver404:
                continue
    return None


def family_rule(route: Route) -> FamilyRule | None:
    if route.own:
        return None
    return next((rule for rule in FAMILY_RULES if route.key.startswith(rule.prefix)), None)


def planned_probes() -> list[tuple[str, Probe]]:
    """(pattern key, probe) for every request of the matrix: the entries, then the family routes."""
    explicit = {item.key for item in ENTRIES}
    routed = {route.key for route in all_routes()}
    # An optional entry whose route is not there in this configuration has nothing to ask.
    planned = [(item.key, each) for item in ENTRIES if item.key in routed for each in item.probes]
    for route in all_routes():
        rule = family_rule(route)
        if route.key not in explicit and rule is not None:
            planned.append((route.key, probe(sample_url(route) or "", rule.expect)))
    return planned


# --- the tests ---------------------------------------------------------------------------------------------------


def test_every_route_has_an_expectation():
    routes = all_routes()
    keys = {route.key for route in routes}
    explicit = [item.key for item in ENTRIES]
    problems = []
    duplicates = sorted({key for key in explicit if explicit.count(key) > 1})
    if duplicates:
        problems.append("These keys have more than one entry in ENTRIES; merge their probes:")
        problems += [f"    {key}" for key in duplicates]
    missing = [route for route in routes if route.key not in explicit and family_rule(route) is None]
    if missing:
        problems.append(
            f"{len(missing)} URL pattern(s) have no expected answers. Add an entry to ENTRIES in "
            "tests/test_access_matrix.py for each, with a URL built from real objects of the `world` fixture "
            "and the answer every role must get under network/permissions.py, e.g.:"
        )
        for route in missing:
            url = sample_url(route) or "/…"
            problems.append(
                f'    entry({route.route!r}, {route.name!r}, probe("{url}", roles(anonymous=..., members=..., '
                "staff=...))),"
            )
    stale = [item.key for item in ENTRIES if item.key not in keys and not item.optional]
    if stale:
        problems.append(f"{len(stale)} key(s) in ENTRIES match no URL pattern any more; remove or rename them:")
        problems += [f"    {key}" for key in stale]
    unbuildable = [
        route.key
        for route in routes
        if route.key not in explicit and family_rule(route) is not None and sample_url(route) is None
    ]
    if unbuildable:
        problems.append("No generic URL could be built for these family routes; give them an entry in ENTRIES:")
        problems += [f"    {key}" for key in unbuildable]
    assert not problems, "\n".join(problems)


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        # Reading to the end closes the response the way the test client expects; closing it again here
        # would end the test's database connection (request_finished → close_old_connections).
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_the_role_as_the_policy_says(client, world, role, caplog):
    client.raise_request_exception = False  # a server error is an answer like any other here
    caplog.set_level(logging.CRITICAL, logger="django.request")  # hundreds of expected 4xx warnings
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    problems, requests = [], 0
    for key, each in planned_probes():
        url = each.build_url(world, role)
        expect = each.expect[role]
        where = f"  {key}\n      GET {url}"
        if not url:
            problems.append(f"{where}: no URL could be built")
            continue
        try:
            reached = key_of(url)
        except Resolver404:
            reached = "no route"
        if reached != (each.resolves_to or key):
            problems.append(f"{where}: the URL reaches {reached} instead")
            continue
        response = client.get(url)
        requests += 1
        signed_in_as = getattr(response.wsgi_request, "user", None)
        if user is not None and signed_in_as is not None and signed_in_as.pk != user.pk:
            # An earlier request ended the session: sign in again and ask once more.
            client.force_login(user)
            response = client.get(url)
            requests += 1
        body = _body(response)
        if not expect.matches(response, body, world):
            got = str(response.status_code)
            if response.has_header("Location"):
                got += f" → {response['Location']}"
            elif expect.status == response.status_code:
                if expect.contains is not None and expect.contains.encode() not in body:
                    got += f" without {expect.contains!r}"
                if expect.lacks is not None and expect.lacks.encode() in body:
                    got += f" with {expect.lacks!r}"
            problems.append(f"{where}: expected {expect.describe()}, got {got}")
        allowed = each.reveals.get(role, frozenset())
        for marker, text in MARKERS.items():
            if marker not in allowed and text.encode() in body:
                problems.append(f"{where}: LEAK: the answer ({response.status_code}) contains {marker} {text!r}")
    assert requests > 300, f"only {requests} requests were made: the matrix lost its routes"
    assert not problems, f"As {role}, {len(problems)} of {requests} answers differ from the policy:\n" + "\n".join(
        problems
    )


# --- the world: one of everything, made through the services as people would ---------------------------------


def library_documents(working_group: Group) -> dict:
    """A library document per access level, its marker in its summary, and one restricted to the working group;
    text and preview extracted (as the worker does once the upload commits)."""
    levels = {
        "library_members": (AccessLevel.MEMBERS, False),
        "library_network": (AccessLevel.NETWORK, False),
        "library_community": (AccessLevel.COMMUNITY, False),
        "library_granted": (AccessLevel.MEMBERS, True),
    }
    made = {}
    for marker, (level, restricted) in levels.items():
        document = make_library_document(
            marker.replace("_", " ").title(), level=level, is_restricted=restricted, summary=MARKERS[marker]
        )
        library_services.extract_document_text(document.pk, 1)
        made[marker] = document
    library_services.grant_document_access(made["library_granted"], working_group, actor=None, reason="Working group")
    return made


@pytest.fixture
def world(site, settings, tmp_path, monkeypatch) -> SimpleNamespace:
    """The roles' accounts and one object of each kind the URLs take, owned by someone else where it matters."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    private_storage = MemberImport._meta.get_field("file").storage
    monkeypatch.setattr(private_storage, "location", str(tmp_path / "private"))
    monkeypatch.setattr(private_storage, "base_location", str(tmp_path / "private"))
    shared_with_network = dict.fromkeys(Member.VISIBLE_FIELDS, Visibility.NETWORK)

    users = {"anonymous": None}
    for role, staff_role in STAFF_ROLES.items():
        users[role] = make_staff(staff_role, email=f"{role}@example.org")
    members = {}
    for role in GROUPS["members"]:
        members[role] = MemberFactory(
            category=MemberCategory(role),
            user__email=f"{role}@example.org",
            country="SN",
            visibility=dict(shared_with_network),
        )
        users[role] = members[role].user
    for role in GROUPS["community"]:
        request = community.request_community_access(
            members[role], actor=users[role], motivation="We share our curriculum on SGBV investigation."
        )
        community.approve_community_request(request, actor=users["moderator"])

    # The subject: a network member who is none of the roles, sharing all with the network but her rank.
    subject = MemberFactory(
        category=MemberCategory.ACTIVE,
        user__email=MARKERS["email"],
        user__first_name="Sabine",
        user__last_name="Subject",
        country="RW",
        police_service="Rwanda National Police",
        rank=MARKERS["hidden"],
        visibility={**shared_with_network, "rank": Visibility.PRIVATE},
    )
    subject.photo.save("photo.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    pending_request = community.request_community_access(
        subject, actor=subject.user, motivation=f"{MARKERS['motivation']}: I train officers on SGBV investigation."
    )
    # She also asks to change category (made as submitted, the service refuses a second open request).
    application = ApplicationFactory(user=subject.user, category=MemberCategory.CIVILIAN, organisation="UN Police")
    message = MemberMessage.objects.create(
        sender=members["civilian"], recipient=members["honorary"], body=MARKERS["message"]
    )

    def advocacy(user, title):
        return campaign_services.log_advocacy_action(
            actor=user,
            kind=AdvocacyKind.TALK,
            title=title,
            description="",
            country="RW",
            place="Kigali",
            date=datetime.date(2024, 1, 1),
            people_reached=10,
        )

    def featured_member():
        featured = FeaturedMember(
            name="Featured Person",
            citation="For thirty years of service.",
            consent_recorded_on=datetime.date(2024, 5, 3),
            consent_note="Email of 3 May 2024 to the secretariat.",
            live=False,
        )
        featured.save()
        featured.save_revision().publish()
        return featured

    public_campaign = CampaignFactory(slug="open-campaign", title="Open campaign")
    inner_campaign = CampaignFactory(
        slug="inner-campaign", title=MARKERS["inner_campaign"], visibility=CampaignVisibility.MEMBERS
    )
    home = site["en"]

    def page(slug, level, marker=None):
        intro = f"<p>{MARKERS[marker]}</p>" if marker else ""
        return publish_child(
            home, StandardPage, title=slug.replace("-", " "), slug=slug, intro=intro, access_level=level
        )

    # Forums: the Community of Practice's, and a working group's restricted to a group holding the honorary
    # member. The subject (outside the community) has a handle, for the mention autocomplete.
    practice = Forum.objects.create(name="Practice", slug="practice")
    working_group = Forum.objects.create(name="Working group", slug="working-group", is_restricted=True)
    group = Group.objects.create(name="Working group on recruitment")
    users["honorary"].groups.add(group)
    forum_services.set_forum_groups(working_group, perm="forums.read_forum", groups=[group], actor=None)
    forum_services.forum_profile(subject.user)
    forum_topic = forum_services.start_topic(
        author=users["honorary"], forum=practice, title=f"{MARKERS['forum_post']} patrols", body="How do you patrol?"
    )
    forum_reply = forum_services.reply_to_topic(author=users["civilian"], topic=forum_topic, body="In pairs.")
    forum_services.edit_post(forum_reply, actor=users["civilian"], body="In pairs, always.")
    group_topic = forum_services.start_topic(
        author=users["honorary"],
        forum=working_group,
        title=f"{MARKERS['group_post']} plan",
        body="Our plan.",
        attachments=[SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n% the plan\n")],
    )
    forum_services.flag_post(forum_reply, reporter=users["honorary"], reason="off_topic")
    notification = notify(
        users["civilian"],
        kind="forums.post",
        event_key="matrix:reply",
        title="A reply in a topic you follow",
        url=f"/en/forums/posts/{forum_reply.pk}/",
        target_id=str(forum_reply.pk),
        delivery=Delivery.NONE,
    )

    # Mentoring: a programme with the civilian member as mentee and the honorary member as her mentor.
    mentoring_programme = make_programme(slug="mentoring-world", title="Mentoring world")
    pair_request = mentoring_services.request_mentor(
        actor=users["civilian"],
        mentee=enrol(members["civilian"], mentoring_programme, "mentee"),
        mentor=enrol(members["honorary"], mentoring_programme, "mentor"),
    )
    mentorship = mentoring_services.accept_request(pair_request, actor=users["honorary"])
    meeting = mentoring_services.log_meeting(
        mentorship, actor=users["civilian"], starts_at=datetime.datetime.now(datetime.UTC), notes=MARKERS["pair_note"]
    )

    # Trainings and events: a public course whose online session the civilian member registered for (its link
    # is hers), a network-only course, and the subject's selective registration with a note and a letter,
    # attended, with its certificate.
    events_index = publish_child(home, EventsIndexPage, title="Events index", slug="events-index")
    soon = timezone.now() + datetime.timedelta(days=20)
    open_course = make_course(
        events_index,
        title="Open course",
        slug="open-course",
        sessions=[
            {
                "start": soon,
                "online": True,
                "online_link": f"https://meet.example.org/{MARKERS['online_link']}",
                "place": "",
            }
        ],
    )
    public_session = first_session(open_course)
    network_session = first_session(
        make_course(
            events_index,
            title="Network course",
            intro=MARKERS["network_event"],
            slug="network-course",
            access_level=AccessLevel.NETWORK,
        )
    )
    event_services.register(actor=users["civilian"], session=public_session)
    subject_registration = Registration.objects.create(
        session=public_session,
        user=subject.user,
        state="registered",
        nomination_note=MARKERS["nomination"],
        letter=ContentFile(b"%PDF-1.4\n% letter\n", name="letter.pdf"),
        letter_type="application/pdf",
    )
    event_services.mark_attendance(
        actor=users["organiser"], session=public_session, attended_ids=[subject_registration.pk]
    )
    subject_registration.refresh_from_db()
    feed = event_services.calendar_feed_of(users["civilian"])

    made = SimpleNamespace(
        mentorship=mentorship,
        mentoring_programme=mentoring_programme,
        meeting=meeting,
        mentoring_token=mentoring_links.make_token(mentorship, "met", users["civilian"]),
        public_session=public_session,
        network_session=network_session,
        subject_registration=subject_registration,
        feed_path=urlsplit(event_calendar.feed_url(feed)).path,
        forum_topic=forum_topic,
        forum_reply=forum_reply,
        group_topic=group_topic,
        notification=notification,
        unsubscribe_path=urlsplit(unsubscribe_url(users["civilian"], f"forum:{practice.pk}")).path,
        group_attachment=group_topic.posts.get().attachments.get(),
        users=users,
        subject=subject,
        pending_request=pending_request,
        application=application,
        message=message,
        others_action=advocacy(subject.user, "Talk at the police academy"),
        own_action={role: advocacy(users[role], f"Talk by the {role} member") for role in GROUPS["members"]},
        public_campaign=public_campaign,
        public_target=TargetFactory(campaign=public_campaign),
        inner_campaign=inner_campaign,
        inner_target=TargetFactory(campaign=inner_campaign),
        contributor=CampaignContributor.objects.create(campaign=public_campaign, member=subject),
        recorded_value=RecordedValueFactory(target__campaign=public_campaign),
        series=StatisticSeriesFactory(),
        member_import=MemberImport.objects.create(
            created_by=users["officer"],
            original_name="members-2024.csv",
            state=ImportState.DONE,
            file=ContentFile(b"email,first_name,last_name,category\n", name="members-2024.csv"),
        ),
        featured=featured_member(),
        document=make_document(),
        library=library_documents(group),
        topic=Topic.objects.order_by("pk").first(),
        audit_entry=AuditEntry.objects.filter(subject_label__icontains="quokka").order_by("pk").first(),
        pages={
            "public": page("open-page", AccessLevel.PUBLIC),
            "members": page("members-corner", AccessLevel.MEMBERS, "members_page"),
            "network": page("network-notes", AccessLevel.NETWORK, "network_page"),
            "community": page("community-corner", AccessLevel.COMMUNITY, "community_page"),
        },
    )
    # The site search's index, as `search_reindex` builds it (on-commit refreshes do not run in these tests).
    call_command("search_reindex", verbosity=0)
    return made
