"""Registering, the waiting list, offers and their deadline, selective courses: what members and organisers
see happen."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from events import services
from events.choices import RegistrationState
from events.models import Registration
from network.choices import AccessLevel, AuditAction
from network.models import AuditEntry, Notification
from tests.factories.events import first_session, make_course, network_member, observer

pytestmark = pytest.mark.django_db


def _session(index, **spec):
    return first_session(make_course(index, sessions=[spec]))


def test_register_takes_a_seat_and_twice_is_refused(index):
    session = _session(index, capacity=2)
    member = network_member()
    registration = services.register(actor=member.user, session=session)
    assert registration.state == RegistrationState.REGISTERED
    with pytest.raises(services.RegistrationError, match="already on this session's list"):
        services.register(actor=member.user, session=session)
    assert Registration.objects.filter(session=session).count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.EVENT_REGISTERED, subject_user=member.user).exists()


def test_full_session_offers_the_waiting_list_in_order(index):
    session = _session(index, capacity=1)
    first, second, third = network_member(), network_member(), network_member()
    services.register(actor=first.user, session=session)
    with pytest.raises(services.SessionFull):
        services.register(actor=second.user, session=session)
    services.register(actor=second.user, session=session, join_waitlist=True)
    services.register(actor=third.user, session=session, join_waitlist=True)
    waiting = list(
        Registration.objects.filter(session=session, state=RegistrationState.WAITLISTED).order_by("waitlisted_at", "pk")
    )
    assert [r.user_id for r in waiting] == [second.user_id, third.user_id]


def test_registration_window_and_level_are_enforced(index):
    now = timezone.now()
    closed = _session(index, registration_closes_at=now - datetime.timedelta(hours=1))
    later = first_session(
        make_course(index, title="Later course", sessions=[{"registration_opens_at": now + datetime.timedelta(days=2)}])
    )
    network_only = first_session(
        make_course(index, title="Network course", sessions=[{"min_access_level": AccessLevel.NETWORK}])
    )
    member = network_member()
    with pytest.raises(services.RegistrationError, match="closed"):
        services.register(actor=member.user, session=closed)
    with pytest.raises(services.RegistrationError, match="not opened yet"):
        services.register(actor=member.user, session=later)
    with pytest.raises(services.RegistrationError, match="open to Network only"):
        services.register(actor=observer().user, session=network_only)
    assert Registration.objects.count() == 0


def test_cancellation_promotes_the_first_waiting_exactly_once(index, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    session = _session(index, capacity=1)
    holder, first, second = network_member(), network_member(), network_member()
    seat = services.register(actor=holder.user, session=session)
    services.register(actor=first.user, session=session, join_waitlist=True)
    services.register(actor=second.user, session=session, join_waitlist=True)
    mail.outbox = []

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(actor=holder.user, registration=seat)
    # Cancelling again, or expiring offers that have not expired, promotes nobody else.
    with pytest.raises(services.RegistrationError):
        services.cancel_registration(actor=holder.user, registration=seat)
    services.expire_offers()

    states = dict(Registration.objects.filter(session=session).values_list("user_id", "state"))
    assert states[first.user_id] == RegistrationState.OFFERED
    assert states[second.user_id] == RegistrationState.WAITLISTED
    offer = Registration.objects.get(user=first.user, session=session)
    assert offer.offer_expires_at > timezone.now()
    assert Notification.objects.filter(recipient=first.user, event_key=f"events.offer:{offer.pk}").count() == 1
    assert [m.to for m in mail.outbox] == [[first.user.email]]
    assert "Confirm it before" in mail.outbox[0].body

    services.confirm_offer(actor=first.user, registration=offer)
    offer.refresh_from_db()
    assert offer.state == RegistrationState.REGISTERED


def test_unconfirmed_offer_passes_on_after_its_deadline(index):
    session = _session(index, capacity=1)
    holder, first, second = network_member(), network_member(), network_member()
    seat = services.register(actor=holder.user, session=session)
    services.register(actor=first.user, session=session, join_waitlist=True)
    services.register(actor=second.user, session=session, join_waitlist=True)
    services.cancel_registration(actor=holder.user, registration=seat)
    offer = Registration.objects.get(user=first.user, session=session)

    later = offer.offer_expires_at + datetime.timedelta(minutes=1)
    assert services.expire_offers(now=later) == 1
    assert services.expire_offers(now=later) == 0
    offer.refresh_from_db()
    assert offer.state == RegistrationState.EXPIRED
    assert Registration.objects.get(user=second.user, session=session).state == RegistrationState.OFFERED
    with pytest.raises(services.RegistrationError):
        services.confirm_offer(actor=first.user, registration=offer)


def test_selective_course_waits_for_the_organiser(index, organiser):
    session = first_session(make_course(index, selective=True, sessions=[{"capacity": 1}]))
    first, second = network_member(), network_member()
    with pytest.raises(services.RegistrationError, match="nomination note"):
        services.register(actor=first.user, session=session)
    request = services.register(actor=first.user, session=session, nomination_note="Nominated by my commander.")
    other = services.register(actor=second.user, session=session, nomination_note="Nominated too.")
    assert request.state == RegistrationState.PENDING
    with pytest.raises(Exception):  # noqa: B017,PT011 -- members may not decide
        services.decide_registration(actor=first.user, registration=other, approve=True)

    services.decide_registration(actor=organiser, registration=request, approve=True)
    services.decide_registration(actor=organiser, registration=other, approve=False, note="Next year.")
    request.refresh_from_db()
    other.refresh_from_db()
    assert request.state == RegistrationState.REGISTERED
    assert other.state == RegistrationState.DECLINED
    assert Notification.objects.filter(recipient=second.user, kind=services.SESSION_KIND).exists()
