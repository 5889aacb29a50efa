"""What the events pages read: sessions a person may see, with their seats and her own registration, in a
fixed number of queries whatever the number of sessions."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Greatest
from django.utils import timezone

from events import permissions
from events.choices import CURRENT_STATES, SEAT_STATES, EventFormat, EventTiming, RegistrationState
from events.models import EventBasePage, EventsIndexPage, Material, Registration, Session
from network.choices import AccessLevel

SESSIONS_PER_PAGE = 20


def _index_levels():
    """Each events index page's own level, for a Subquery on a session's page's parent path."""
    return EventsIndexPage.objects.filter(path=OuterRef("index_path")).values("access_level")[:1]


def visible_sessions(user, *, with_counts: bool = True):
    """Live sessions whose page (and index page) the person may see, with `index_level`, `my_state` (her current
    registration's state, or None) and, unless told otherwise, `seats_taken` and `waiting` (counting them
    groups every session read: lists that show no seats leave them out)."""
    level = permissions.viewer_level(user)
    sessions = Session.objects.filter(page__live=True, page__access_level__lte=level).select_related("page")
    if with_counts:
        sessions = sessions.annotate(
            seats_taken=Count("registrations", filter=Q(registrations__state__in=SEAT_STATES)),
            waiting=Count("registrations", filter=Q(registrations__state=RegistrationState.WAITLISTED)),
        )
    # The index page is the parent: its path is the page's path without the last step (4 characters).
    sessions = sessions.alias(index_path=_parent_path()).annotate(index_level=Subquery(_index_levels()))
    sessions = sessions.filter(Q(index_level__isnull=True) | Q(index_level__lte=level))
    if user.is_authenticated:
        mine = Registration.objects.filter(session=OuterRef("pk"), user=user, state__in=CURRENT_STATES)
        sessions = sessions.annotate(my_state=Subquery(mine.values("state")[:1]))
    return sessions


def _parent_path():
    from django.db.models.functions import Length, Substr

    return Substr("page__path", 1, Length("page__path") - 4)


def index_sessions(user, index_page, filters: dict, *, page_number=None):
    """The sessions of the courses and events below this index page, filtered, upcoming first, with `my_state`
    (her current registration's state, or None) on the sessions of the page shown.

    Lean on purpose: the index page is the sessions' parent, so its level is known without a subquery per row,
    the list shows no seat counts, and her registrations are read for the 20 sessions shown only (one query),
    not as a subquery over every session the paginator counts."""
    level = permissions.viewer_level(user)
    sessions = Session.objects.filter(
        page__live=True,
        page__access_level__lte=level,
        page__path__startswith=index_page.path,
        page__depth=index_page.depth + 1,
    ).select_related("page")
    if getattr(index_page, "access_level", AccessLevel.PUBLIC) > level:
        sessions = sessions.none()
    now = timezone.now()
    if filters.get("kind"):
        sessions = sessions.filter(page__kind=filters["kind"])
    if filters.get("language"):
        sessions = sessions.filter(language=filters["language"])
    if filters.get("region"):
        sessions = sessions.filter(page__region=filters["region"])
    if filters.get("format") == EventFormat.ONLINE:
        sessions = sessions.filter(online=True)
    elif filters.get("format") == EventFormat.IN_PERSON:
        sessions = sessions.filter(online=False)
    if filters.get("when") == EventTiming.PAST:
        sessions = sessions.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    elif filters.get("when") == EventTiming.UPCOMING:
        sessions = sessions.filter(ends_at__gte=now).order_by("starts_at", "pk")
    else:
        sessions = sessions.order_by("starts_at", "pk")
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(page_number)
    page.object_list = shown = list(page.object_list)
    states = {}
    if user.is_authenticated and shown:
        states = dict(
            Registration.objects.filter(
                user=user, session__in=[session.pk for session in shown], state__in=CURRENT_STATES
            ).values_list("session_id", "state")
        )
    for session in shown:
        session.my_state = states.get(session.pk)
    return page


@dataclass
class SessionView:
    """A session as the page shows it to one person."""

    session: Session
    registration: Registration | None
    seats_left: int
    waiting: int
    can_register: bool
    reason: str
    show_link: bool

    @property
    def is_full(self) -> bool:
        return self.seats_left <= 0


def page_context(user, page) -> dict:
    """Everything a course or event page shows: its sessions with her registration, and the materials."""
    from django.utils.translation import gettext as _

    sessions = list(visible_sessions(user).filter(page=page).order_by("sort_order", "starts_at"))
    registrations = {}
    if user.is_authenticated:
        registrations = {
            registration.session_id: registration
            for registration in Registration.objects.filter(
                user=user, session__page=page, state__in=CURRENT_STATES
            ).order_by("created_at")
        }
    now = timezone.now()
    views = []
    for session in sessions:
        registration = registrations.get(session.pk)
        reason = ""
        if not user.is_authenticated:
            reason = _("Sign in to register.")
        elif not permissions.may_register_by_level(user, session):
            reason = _("This session is open to %(level)s only.") % {
                "level": AccessLevel(session.min_access_level).label
            }
        elif session.registration_opens_at and now < session.registration_opens_at:
            reason = _("Registration has not opened yet.")
        elif not session.registration_is_open(now):
            reason = _("Registration is closed.")
        views.append(
            SessionView(
                session=session,
                registration=registration,
                seats_left=max(session.capacity - session.seats_taken, 0),
                waiting=session.waiting,
                can_register=not reason and registration is None,
                reason=reason,
                show_link=permissions.can_see_online_link(user, registration),
            )
        )
    participant = any(view.show_link for view in views)
    materials = [
        material
        for material in Material.objects.filter(page=page).select_related("linked_page", "document")
        if permissions.can_see_material(user, material, _AnyRegistration(participant))
    ]
    return {
        "session_views": views,
        "materials": materials,
        "is_organiser": permissions.is_organiser(user),
        "viewer_zone": _zone(user),
    }


class _AnyRegistration:
    """Stands for "she holds a seat on one of the page's sessions" in the materials check."""

    def __init__(self, participant: bool):
        self.state = RegistrationState.REGISTERED if participant else ""


def _zone(user):
    from network.timezones import user_time_zone

    return user_time_zone(user)


def my_registrations(user):
    """Her registrations, current ones first, then by the session's start."""
    return (
        Registration.objects.filter(user=user)
        .select_related("session__page")
        .order_by(
            F("session__starts_at").desc(nulls_last=True),
            "-pk",
        )
    )


REGISTRATIONS_PER_PAGE = 20


def my_registration_pages(user, *, upcoming_page=None, past_page=None, now=None):
    """Her registrations in two paged lists: sessions still to come (or running), soonest first, and past
    sessions, latest first. Two counts and two pages of rows, whatever the number of registrations."""
    now = now or timezone.now()
    mine = my_registrations(user)
    upcoming = mine.filter(session__ends_at__gte=now).order_by("session__starts_at", "pk")
    past = mine.filter(session__ends_at__lt=now).order_by("-session__starts_at", "-pk")
    return (
        Paginator(upcoming, REGISTRATIONS_PER_PAGE).get_page(upcoming_page),
        Paginator(past, REGISTRATIONS_PER_PAGE).get_page(past_page),
    )


def feed_sessions(user):
    """The sessions her calendar feed lists: those she holds a seat on (or an offer for)."""
    return (
        Session.objects.filter(registrations__user=user, registrations__state__in=SEAT_STATES, page__live=True)
        .select_related("page")
        .order_by("starts_at", "pk")
        .distinct()
    )


def feed_fingerprint(user) -> tuple:
    """What her feed shows, summed up in one small query: her registrations (how many, in which states, the
    latest change) and their pages (published when, live or not). Any change to these changes the
    fingerprint, so a feed cached under it is never shown stale."""
    summary = Registration.objects.filter(user=user).aggregate(
        count=Count("pk"),
        seats=Count("pk", filter=Q(state__in=SEAT_STATES)),
        held=Count("pk", filter=Q(state=RegistrationState.REGISTERED)),
        changed=Max("updated_at"),
        published=Max("session__page__last_published_at"),
        live=Count("pk", filter=Q(session__page__live=True)),
    )
    return tuple(
        value.isoformat() if hasattr(value, "isoformat") else value
        for value in (
            summary["count"],
            summary["seats"],
            summary["held"],
            summary["changed"],
            summary["published"],
            summary["live"],
        )
    )


def training_record(member_user):
    """The sessions she attended, newest first."""
    return (
        Registration.objects.filter(user=member_user, attended=True)
        .select_related("session__page")
        .order_by("-session__starts_at")
    )


def upcoming_trainings(user, *, limit: int = 3, under=None) -> tuple[list[Session], bool]:
    """The next training sessions she may see (the home page and programme pages); when none is planned, the
    latest ones, and False."""
    sessions = visible_sessions(user, with_counts=False)
    if under is not None:
        sessions = sessions.filter(page__path__startswith=under.path)
    now = timezone.now()
    upcoming = list(sessions.filter(ends_at__gte=now).order_by("starts_at", "pk")[:limit])
    if upcoming:
        return upcoming, True
    return list(sessions.order_by("-starts_at", "-pk")[:limit]), False


def organiser_sessions():
    """Every session, newest first, with its counts, for the organisers' pages."""
    return (
        Session.objects.select_related("page")
        .annotate(
            seats_taken=Count("registrations", filter=Q(registrations__state__in=SEAT_STATES)),
            waiting=Count("registrations", filter=Q(registrations__state=RegistrationState.WAITLISTED)),
            pending=Count("registrations", filter=Q(registrations__state=RegistrationState.PENDING)),
            attended_count=Count("registrations", filter=Q(registrations__attended=True)),
        )
        .order_by("-starts_at", "-pk")
    )


def session_registrations(session):
    return (
        Registration.objects.filter(session=session)
        .select_related("user__member")
        .order_by(
            Greatest("waitlisted_at", "created_at").asc(),
            "pk",
        )
    )


def waiting_list(session):
    return Registration.objects.filter(session=session, state=RegistrationState.WAITLISTED).order_by(
        "waitlisted_at", "pk"
    )


def report_rows(*, since: datetime.date | None = None):
    """Per session: registrations, waiting list, attendance (the reports page and its CSV)."""
    sessions = organiser_sessions()
    if since is not None:
        sessions = sessions.filter(starts_at__date__gte=since)
    return sessions


def participants_by(dimension: str, *, since: datetime.date | None = None) -> list[tuple[str, int]]:
    """Attendees counted by the member's country or category, largest first."""
    field = {"country": "user__member__country", "category": "user__member__category"}[dimension]
    rows = Registration.objects.filter(attended=True)
    if since is not None:
        rows = rows.filter(session__starts_at__date__gte=since)
    counted = rows.values(field).annotate(count=Count("user", distinct=True)).order_by("-count", field)
    return [(row[field] or "", row["count"]) for row in counted]


def training_participants_as_of(day: datetime.date) -> int:
    """Distinct members who attended a session that started by the end of `day` (the campaign metric)."""
    end = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, timezone.get_current_timezone()
    )
    return Registration.objects.filter(attended=True, session__starts_at__lt=end).values("user").distinct().count()


def events_page_exists() -> bool:
    return EventBasePage.objects.live().exists()
