from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Window
from django.utils.translation import gettext

from network.models import Member, MemberMessage, MissionService, User
from network.services import ensure_member_profile


def get_own_member(user: User) -> Member:
    member = _profiles().filter(user=user).first()
    if member is None:
        ensure_member_profile(user)
        member = _profiles().get(user=user)
    # Later permission checks read user.member: hand them this instance instead of a third query.
    user.member = member
    return member


def get_member_by_public_id(public_id) -> Member:
    return _profiles().get(public_id=public_id)


def _profiles():
    return Member.objects.select_related("user").prefetch_related(
        "languages",
        "expertise",
        Prefetch("missions", queryset=MissionService.objects.select_related("mission")),
    )


# --- imports ---


def list_member_imports(limit: int = 50):
    """The most recent member imports, for the staff who may import."""
    from network.models import MemberImport

    return MemberImport.objects.select_related("created_by").order_by("-created_at")[:limit]


# --- directory, messages, community of practice ---


def search_directory(
    viewer: User,
    *,
    q: str = "",
    country: str = "",
    mission=None,
    expertise=None,
    language=None,
    category: str = "",
):
    """Directory members matching the filters, among those the viewer may find.

    Each filter on a profile field matches only members who share that field with the viewer, and the
    mission filter ignores hidden current deployments: otherwise filtering would reveal what a member
    keeps private. Names and categories are shown on every entry, so they filter plainly; the name search also
    finds the country, police service and rank a member shares with the network. Never the email.
    """
    from django.db.models import Q

    from network import permissions
    from network.directory_text import fold

    members = permissions.filter_directory_members_for_user(viewer, Member.objects.all())
    # Names and shared fields, whatever the accents and case (see network/directory_text.py).
    for term in fold(q).split()[:5]:
        members = members.filter(directory_search__contains=term)
    if country:
        members = members.filter(network_sees_country=True, country=country)
    # Semi-joins (IN subqueries) rather than joins: no duplicate rows, and PostgreSQL hashes them once.
    # Members hiding their current deployment come from a small partial index: joining every member into the
    # subquery, or testing the flag on the outer row, made PostgreSQL scan the whole member table.
    if mission is not None:
        hiding = Member.objects.filter(hide_current_deployment=True).values("pk")
        served = MissionService.objects.filter(mission=mission).filter(
            Q(end_year__isnull=False) | ~Q(member_id__in=hiding)
        )
        members = members.filter(network_sees_missions=True, pk__in=served.values("member_id"))
    if expertise is not None:
        members = members.filter(
            network_sees_expertise=True,
            pk__in=Member.expertise.through.objects.filter(expertisearea_id=expertise.pk).values("member_id"),
        )
    if language is not None:
        members = members.filter(
            network_sees_languages=True,
            pk__in=Member.languages.through.objects.filter(language_id=language.pk).values("member_id"),
        )
    if category:
        members = members.filter(category=category)
    # Only what an entry shows: no biography, photo path or account fields (and so never the email address).
    return (
        members.select_related("user")
        .only(*DIRECTORY_ENTRY_FIELDS)
        .order_by("user__last_name", "user__first_name", "user_id")
    )


MAX_PAGE_NUMBER = 1_000_000  # beyond it an offset could overflow PostgreSQL's bigint


def directory_page(members, per_page: int, number, *, filtered: bool) -> Page:
    """One page of `search_directory` results, as Paginator.get_page gives it (a wrong number: first or last page).

    With a filter, PostgreSQL has to find and sort every match to return one page, so the total comes with the
    page as COUNT(*) OVER (): a separate COUNT query would repeat the whole search. Without a filter the page
    is read in index order and stops early, so the cheaper plain count is used, as it is when the page is empty
    (no match, or a number past the end).
    """
    paginator = Paginator(members, per_page)
    if not filtered:
        return paginator.get_page(number)
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1
    if not 1 <= number <= MAX_PAGE_NUMBER:
        return paginator.get_page(number)  # surely past either end: the paginator picks the last page
    start = (number - 1) * per_page
    # Filtering on the window makes Django compute it in a subquery: PostgreSQL then finds every match once, as
    # it must to count them, rather than walking the name-order index as if LIMIT could stop it early.
    counted = members.annotate(matches=Window(Count("pk"))).filter(matches__gt=0)
    rows = list(counted[start : start + per_page])
    if not rows:
        return paginator.get_page(number)
    paginator.count = rows[0].matches  # a cached_property: Paginator will not count again
    return Page(rows, number, paginator)


DIRECTORY_ENTRY_FIELDS = (
    "public_id",
    "user__first_name",
    "user__last_name",
    "category",
    "country",
    "police_service",
    "rank",
    "visibility",
    "hide_current_deployment",
)


@dataclass
class DirectoryDetails:
    """The related lists of one page of directory members, by member id (not yet filtered for the viewer)."""

    languages: dict[int, list[str]] = field(default_factory=dict)
    expertise: dict[int, list[str]] = field(default_factory=dict)
    missions: dict[int, list["ServiceLine"]] = field(default_factory=dict)


def load_directory_details(members: list[Member]) -> DirectoryDetails:
    """Languages, areas of expertise and mission services of these members, in three queries.

    Everything comes as plain values rather than through prefetch_related: a page of 100 members then
    builds no model instances and leaves no reference cycles behind, which would otherwise make Python's
    garbage collector stop the request every few pages.
    """
    ids = [member.pk for member in members]
    details = DirectoryDetails()
    for member_id, name in (
        Member.languages.through.objects.filter(member_id__in=ids)
        .order_by("language__name")
        .values_list("member_id", "language__name")
    ):
        # The reference lists store the English; the catalogue has their names (network/reference_data.py).
        details.languages.setdefault(member_id, []).append(gettext(name))
    for member_id, name in (
        Member.expertise.through.objects.filter(member_id__in=ids)
        .order_by("expertisearea__name")
        .values_list("member_id", "expertisearea__name")
    ):
        details.expertise.setdefault(member_id, []).append(gettext(name))
    for member_id, acronym, start_year, end_year in (
        MissionService.objects.filter(member_id__in=ids)
        .order_by("-start_year", "pk")
        .values_list("member_id", "mission__acronym", "start_year", "end_year")
    ):
        details.missions.setdefault(member_id, []).append(ServiceLine(acronym, start_year, end_year))
    return details


@dataclass(frozen=True, slots=True)
class ServiceLine:
    """A mission service as a directory entry shows it; reads like MissionService ("UNMISS (2012–2015)")."""

    acronym: str
    start_year: int
    end_year: int | None

    def __str__(self) -> str:
        return f"{self.acronym} ({self.start_year}–{self.end_year or '…'})"


def list_received_messages(member: Member):
    return MemberMessage.objects.filter(recipient=member).select_related("sender__user").order_by("-created_at", "-pk")


def list_sent_messages(member: Member):
    return MemberMessage.objects.filter(sender=member).select_related("recipient__user").order_by("-created_at", "-pk")


def get_message_for_member(member: Member, message_id: int) -> MemberMessage:
    """A message the member sent or received; DoesNotExist for anyone else's (shown as not found)."""
    from django.db.models import Q

    return MemberMessage.objects.select_related("sender__user", "recipient__user").get(
        Q(sender=member) | Q(recipient=member), pk=message_id
    )


CONVERSATION_LENGTH = 100


def list_conversation(member: Member, message: MemberMessage) -> list[MemberMessage]:
    """The latest messages between the member and the other side of `message`, oldest first.

    With a former member (account deleted) only the message itself is shown: all former members are NULL,
    so their messages cannot be told apart.
    """
    from django.db.models import Q

    counterpart_id = message.recipient_id if message.sender_id == member.pk else message.sender_id
    if counterpart_id is None:
        return [message]
    between = MemberMessage.objects.filter(
        Q(sender=member, recipient_id=counterpart_id) | Q(sender_id=counterpart_id, recipient=member)
    ).select_related("sender__user", "recipient__user")
    return list(reversed(between.order_by("-created_at", "-pk")[:CONVERSATION_LENGTH]))


# --- the members' area and the Community of Practice home ---

DIRECTORY_SIZE_KEY = "members-area:directory-size"
# Shared by every member's page; a member joining or leaving shows within this time.
DIRECTORY_SIZE_SECONDS = 300


def count_directory_members() -> int:
    """How many members the directory lists (the same for every directory user, give or take herself)."""
    from django.core.cache import cache

    from network import permissions

    size = cache.get(DIRECTORY_SIZE_KEY)
    if size is None:
        size = permissions.filter_listed_directory_members(Member.objects.all()).count()
        cache.set(DIRECTORY_SIZE_KEY, size, DIRECTORY_SIZE_SECONDS)
    return size


def count_unread_messages(member: Member | None) -> int:
    """Messages sent to the member that she has not opened yet (kept on the instance: a page asks twice)."""
    if member is None:
        return 0
    if "_unread_messages" not in member.__dict__:
        member._unread_messages = MemberMessage.objects.filter(recipient=member, read_at__isnull=True).count()
    return member._unread_messages


def list_latest_received_messages(member: Member, limit: int = 3) -> list[MemberMessage]:
    """The most recent messages sent to the member, without their text (a list shows who and when)."""
    return list(
        MemberMessage.objects.filter(recipient=member)
        .select_related("sender__user")
        .order_by("-created_at", "-pk")[:limit]
    )


def get_requests_in_progress(member: Member) -> dict:
    """The member's open membership application and open Community of Practice request (None when none)."""
    from network.models import CommunityAccessRequest
    from network.models.community import OPEN_COMMUNITY_STATES

    if "_requests_in_progress" not in member.__dict__:
        member._requests_in_progress = {
            "application": get_open_application(member.user),
            "community": CommunityAccessRequest.objects.filter(member=member, state__in=OPEN_COMMUNITY_STATES)
            .only("pk", "state", "created_at", "member_id")
            .first(),
        }
    return member._requests_in_progress


def get_community_status(member: Member) -> dict:
    """The member's current (open) request or access and the most recent ended one, with endorsements."""
    from network.models import CommunityAccessRequest, CommunityEndorsement
    from network.models.community import OPEN_COMMUNITY_STATES

    requests = CommunityAccessRequest.objects.filter(member=member).prefetch_related(
        Prefetch("endorsements", queryset=CommunityEndorsement.objects.select_related("endorser__user"))
    )
    current = requests.filter(state__in=OPEN_COMMUNITY_STATES).first()
    last_ended = requests.exclude(state__in=OPEN_COMMUNITY_STATES).order_by("-created_at").first()
    return {"current": current, "last_ended": last_ended}


def list_endorsable_requests(user: User):
    """Pending requests the user may endorse, with whether they already did."""
    from django.db.models import Exists, OuterRef

    from network import permissions
    from network.models import CommunityAccessRequest, CommunityEndorsement

    requests = permissions.filter_endorsable_requests_for_user(user, CommunityAccessRequest.objects.all())
    return (
        requests.select_related("member__user")
        .annotate(
            endorsed_by_me=Exists(
                CommunityEndorsement.objects.filter(request=OuterRef("pk"), endorser__user_id=user.pk)
            )
        )
        .order_by("created_at", "pk")
    )


# --- applications, members and audit (staff admin) ---


def get_latest_application(user: User):
    """The user's open application, else their most recent decided one (None if they never applied)."""
    from network.models import MembershipApplication
    from network.models.membership import OPEN_APPLICATION_STATES

    applications = MembershipApplication.objects.filter(user=user).select_related("mission")
    return applications.filter(state__in=OPEN_APPLICATION_STATES).first() or applications.first()


def get_open_application(user: User):
    from network.models import MembershipApplication
    from network.models.membership import OPEN_APPLICATION_STATES

    return MembershipApplication.objects.filter(user=user, state__in=OPEN_APPLICATION_STATES).first()


def list_applications_for_review():
    """Applications with everything the officers' listing shows, in one query."""
    from network.models import MembershipApplication

    return MembershipApplication.objects.select_related("user__member", "mission", "decided_by")


def list_members_for_staff():
    from network.models import Member

    # The groups give staff accounts their role in the member list.
    return Member.objects.select_related("user").prefetch_related("user__groups")


def count_pending_applications() -> int:
    from network.choices import ApplicationState
    from network.models import MembershipApplication

    return MembershipApplication.objects.filter(state=ApplicationState.SUBMITTED).count()


def count_pending_community_requests() -> int:
    from network.choices import CommunityAccessState
    from network.models import CommunityAccessRequest

    return CommunityAccessRequest.objects.filter(state=CommunityAccessState.PENDING).count()
