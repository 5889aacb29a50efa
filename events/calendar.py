"""Calendars: an .ics file per session and each member's personal feed (icalendar).

Each event carries a stable UID (the session's uuid), and its times with the session's own TZID (a VTIMEZONE
is added for each zone used), so a calendar shows them in the reader's zone. The personal feed's address is
secret and signed: `<user id>.<key>:<signature>`; replacing the key (reset) revokes every address given out.
"""

import datetime
import functools
import hashlib
import uuid

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

from events import queries
from events.choices import RegistrationState
from events.models import CalendarFeed, Registration, Session
from network.services.templated_mail import site_address

FEED_SALT = "events.calendar-feed"
# The serialised personal feeds are cached (serialising 200 events takes longer than a page may); the key holds
# everything the feed is made of, so a change is seen at once: her registrations and their pages (a fingerprint
# read from the database on each request), and a version of the sessions and event pages that events/signals.py
# replaces whenever one of them is saved, moved or deleted, however the change was made.
FEED_CACHE_SECONDS = 3600
SESSIONS_VERSION_KEY = "events:sessions-version"
PRODID = "-//Peacekeepers Network//Trainings and events//EN"


@functools.lru_cache(maxsize=64)
def _vtimezone(zone: str) -> Timezone | None:
    """The VTIMEZONE of a zone, built once per process (icalendar derives it from the zone's transitions)."""
    try:
        return Timezone.from_tzid(zone)
    except (ValueError, KeyError):  # a zone icalendar cannot describe: the times still carry their TZID
        return None


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(session: Session, *, with_link: bool, stamp: datetime.datetime, request=None) -> Event:
    page = session.page
    zone = session.zone
    event = Event()
    event.add("uid", f"{session.uid}@{settings.WAGTAIL_SITE_NAME.lower().replace(' ', '-')}")
    event.add("dtstamp", stamp)
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    summary = page.title if not session.label else f"{page.title} ({session.label})"
    event.add("summary", summary)
    place = (
        "Online"
        if session.online
        else ", ".join(part for part in (session.place, str(session.country.name) if session.country else "") if part)
    )
    if place:
        event.add("location", place)
    description = page.intro or ""
    if with_link and session.online and session.online_link:
        description = f"{description}\n\n{session.online_link}".strip()
        event.add("url", session.online_link)
    else:
        # With the request, Wagtail reads the sites' root paths once for the whole feed, not once per event.
        page_url = page.get_url(request=request) or ""
        event.add("url", page_url if page_url.startswith("http") else site_address(request) + page_url)
    if description:
        event.add("description", description)
    return event


def calendar_bytes(sessions, *, name: str, with_link, request=None) -> bytes:
    """An iCalendar file of these sessions; `with_link(session)` says whether to include its online link."""
    calendar = _calendar(name)
    stamp = timezone.now()
    zones = sorted({session.time_zone for session in sessions})
    for zone in zones:
        component = _vtimezone(zone)
        if component is not None:
            calendar.add_component(component)
    for session in sessions:
        calendar.add_component(_event(session, with_link=with_link(session), stamp=stamp, request=request))
    return calendar.to_ical()


def sessions_version() -> str:
    """The current version of the sessions and event pages; a lost version (evicted, Redis restarted) becomes
    a new one, so no feed cached under an old version is ever read again."""
    version = cache.get(SESSIONS_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.set(SESSIONS_VERSION_KEY, version, None)
    return version


def sessions_changed() -> None:
    """Forget every cached feed: a session or an event page was saved, moved or deleted."""
    cache.set(SESSIONS_VERSION_KEY, uuid.uuid4().hex, None)


def _feed_cache_key(feed: CalendarFeed, fingerprint: tuple, request) -> str:
    host = request.get_host() if request is not None else ""
    parts = (feed.user_id, feed.key, translation.get_language(), host, fingerprint, sessions_version())
    return "events:feed:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def feed_bytes(feed: CalendarFeed, *, request=None) -> bytes:
    """Her personal feed: the sessions she holds a seat on (or an offer for), with the online link of those she
    is registered for; served from the cache while nothing it shows has changed."""
    key = _feed_cache_key(feed, queries.feed_fingerprint(feed.user), request)
    content = cache.get(key)
    if content is not None:
        return content
    sessions = list(queries.feed_sessions(feed.user))
    held = set(
        Registration.objects.filter(user=feed.user, state=RegistrationState.REGISTERED).values_list(
            "session_id", flat=True
        )
    )
    content = calendar_bytes(
        sessions, name=_("My trainings and events"), with_link=lambda session: session.pk in held, request=request
    )
    cache.set(key, content, FEED_CACHE_SECONDS)
    return content


def feed_token(feed: CalendarFeed) -> str:
    return signing.Signer(salt=FEED_SALT).sign(f"{feed.user_id}.{feed.key}")


def feed_url(feed: CalendarFeed) -> str:
    return site_address() + reverse("events:calendar_feed", args=[feed_token(feed)])


def read_feed_token(token: str) -> CalendarFeed | None:
    """The feed of a valid, current token; None for a tampered, forged or revoked one."""
    try:
        value = signing.Signer(salt=FEED_SALT).unsign(token)
    except signing.BadSignature:
        return None
    user_id, _sep, key = value.partition(".")
    if not user_id.isdigit() or not key:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(user_id=int(user_id)).first()
    if feed is None or not signing.constant_time_compare(feed.key, key) or not feed.user.is_active:
        return None
    return feed
