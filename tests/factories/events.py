"""Builders for courses and events: an index page under the home page and pages with their sessions, published
as an organiser would in the admin."""

import datetime

from django.utils import timezone

from events.choices import EventKind
from events.models import CoursePage, EventPage, EventsIndexPage, Session
from network.choices import MemberCategory
from tests.factories import MemberFactory
from tests.factories.cms import publish_child


def make_index(home, **fields) -> EventsIndexPage:
    fields.setdefault("title", "Trainings and events")
    fields.setdefault("slug", "events")
    return publish_child(home, EventsIndexPage, **fields)


def session_fields(**fields) -> dict:
    start = fields.pop("start", None) or timezone.now() + datetime.timedelta(days=30)
    fields.setdefault("starts_at", start)
    fields.setdefault("ends_at", fields["starts_at"] + datetime.timedelta(days=5))
    fields.setdefault("time_zone", "Africa/Kigali")
    fields.setdefault("place", "Kigali")
    fields.setdefault("capacity", 20)
    fields.setdefault("language", "en")
    return fields


def make_course(index, *, sessions=None, model=CoursePage, **fields):
    """A published course (or event, with model=EventPage) with its sessions (dicts of Session fields)."""
    fields.setdefault("title", "SGBV train-the-trainer course")
    if model is EventPage:
        fields.setdefault("kind", EventKind.WEBINAR)
    page = model(
        locale_id=index.locale_id,
        slug=fields.pop("slug", None) or fields["title"].lower().replace(" ", "-")[:50],
        **fields,
    )
    page.sessions = [Session(**session_fields(**spec)) for spec in (sessions or [{}])]
    index.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def first_session(page) -> Session:
    return Session.objects.filter(page=page).order_by("sort_order", "pk").first()


def network_member(**kwargs):
    return MemberFactory(category=MemberCategory.ACTIVE, **kwargs)


def observer(**kwargs):
    return MemberFactory(category=MemberCategory.OBSERVER, **kwargs)
