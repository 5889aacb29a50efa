"""Every change to registrations, attendance and calendar feeds: one transaction each, audited, with emails
and notifications sent when it commits (network.notifications).

Capacity holds under concurrency because every change that takes or frees a seat first locks the session's
row (`SELECT … FOR UPDATE` on PostgreSQL): two members registering for the last seat at the same moment are
served one after the other, and the second finds the session full.
"""

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from events import permissions
from events.choices import CURRENT_STATES, SEAT_STATES, RegistrationState
from events.models import CalendarFeed, Registration, Session, SessionReminder
from network.choices import AccessLevel, AuditAction, Delivery
from network.notifications import notification_language, notify
from network.services.audit import record_audit

SESSION_KIND = "events.session"
REMINDER_DAYS = (7, 1)


class RegistrationError(Exception):
    """Why a registration change was refused, in words for the member."""


class SessionFull(RegistrationError):
    """No seat left: the member may join the waiting list instead."""


def offer_hours() -> int:
    return int(getattr(settings, "EVENTS_OFFER_HOURS", 48))


def _lock_session(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("page").get(pk=session.pk)


def seats_taken(session: Session) -> int:
    return Registration.objects.filter(session=session, state__in=SEAT_STATES).count()


def _session_title(session: Session) -> str:
    title = session.page.title
    return f"{title} ({session.label})" if session.label else title


def _local_start(session: Session, user) -> str:
    from network.timezones import user_time_zone

    return date_format(timezone.localtime(session.starts_at, user_time_zone(user)), "DATETIME_FORMAT")


def _notify(registration: Registration, event: str, title: str, text: str = "") -> None:
    user = registration.user
    notify(
        user,
        kind=SESSION_KIND,
        event_key=f"events.{event}:{registration.pk}",
        title=title,
        text=text,
        url=reverse("events:my_registrations"),
        target_id=str(registration.session_id),
        delivery=Delivery.IMMEDIATE,
    )


def _check_may_register(actor, session: Session, now: datetime.datetime) -> None:
    page = session.page
    if not permissions.can_view_event(actor, page):
        raise RegistrationError(_("This event is not open to you."))
    if not permissions.may_register_by_level(actor, session):
        raise RegistrationError(
            _("This session is open to %(level)s only.") % {"level": AccessLevel(session.min_access_level).label}
        )
    if session.registration_opens_at and now < session.registration_opens_at:
        raise RegistrationError(_("Registration for this session has not opened yet."))
    if not session.registration_is_open(now):
        raise RegistrationError(_("Registration for this session is closed."))


@transaction.atomic
def register(
    *, actor, session: Session, join_waitlist: bool = False, nomination_note: str = "", letter=None, letter_type=""
) -> Registration:
    """Register `actor` for the session: a seat if one is free, else (when she asked) the waiting list; for a
    selective course, a request the organisers decide on. Raises RegistrationError (SessionFull when full)."""
    session = _lock_session(session)
    now = timezone.now()
    _check_may_register(actor, session, now)
    current = Registration.objects.filter(session=session, user=actor, state__in=CURRENT_STATES).first()
    if current is not None:
        raise RegistrationError(
            _("You are already on this session's list: %(state)s.") % {"state": current.get_state_display()}
        )
    registration = Registration(session=session, user=actor, nomination_note=nomination_note.strip())
    if session.page.selective:
        if not registration.nomination_note and not letter:
            raise RegistrationError(
                _("This course selects its participants: add a nomination note or a letter from your police service.")
            )
        registration.state = RegistrationState.PENDING
        if letter:
            registration.letter = letter
            registration.letter_type = letter_type
        action = AuditAction.EVENT_REGISTERED
    elif seats_taken(session) < session.capacity:
        registration.state = RegistrationState.REGISTERED
        action = AuditAction.EVENT_REGISTERED
    elif join_waitlist:
        registration.state = RegistrationState.WAITLISTED
        registration.waitlisted_at = now
        action = AuditAction.EVENT_WAITLISTED
    else:
        raise SessionFull(_("This session is full. You may join its waiting list."))
    registration.save()
    record_audit(action, actor=actor, subject=actor, target=registration, details={"session": session.pk})
    return registration


def _lock_registration(registration: Registration) -> tuple[Registration, Session]:
    session = _lock_session(registration.session)
    locked = Registration.objects.select_related("user").get(pk=registration.pk)
    locked.session = session
    return locked, session


def _promote(session: Session, *, actor=None, now=None) -> list[Registration]:
    """Offer the free seats to the first on the waiting list, in order; call with the session locked."""
    now = now or timezone.now()
    if session.starts_at <= now:
        return []
    free = session.capacity - seats_taken(session)
    if free <= 0:
        return []
    waiting = list(
        Registration.objects.select_related("user")
        .filter(session=session, state=RegistrationState.WAITLISTED)
        .order_by("waitlisted_at", "pk")[:free]
    )
    deadline = min(now + datetime.timedelta(hours=offer_hours()), session.starts_at)
    for registration in waiting:
        registration.state = RegistrationState.OFFERED
        registration.offered_at = now
        registration.offer_expires_at = deadline
        registration.save(update_fields=["state", "offered_at", "offer_expires_at", "updated_at"])
        record_audit(
            AuditAction.EVENT_SEAT_OFFERED,
            actor=actor,
            subject=registration.user,
            target=registration,
            details={"session": session.pk, "expires": deadline.isoformat()},
        )
        with notification_language(registration.user):
            registration.session = session
            _notify(
                registration,
                "offer",
                _("A seat is free for you in “%(title)s”") % {"title": _session_title(session)},
                _(
                    "A seat has become free for the session starting %(start)s. Confirm it before %(deadline)s, "
                    "or it passes to the next person on the waiting list."
                )
                % {
                    "start": _local_start(session, registration.user),
                    "deadline": date_format(
                        timezone.localtime(deadline, _user_zone(registration.user)), "DATETIME_FORMAT"
                    ),
                },
            )
    return waiting


def _user_zone(user):
    from network.timezones import user_time_zone

    return user_time_zone(user)


@transaction.atomic
def cancel_registration(*, actor, registration: Registration) -> Registration:
    """The member cancels (or an organiser cancels for her); a freed seat is offered to the waiting list."""
    registration, session = _lock_registration(registration)
    if registration.user_id != actor.pk and not permissions.is_organiser(actor):
        raise RegistrationError(_("You may only cancel your own registration."))
    if registration.state not in CURRENT_STATES:
        raise RegistrationError(_("This registration is no longer current."))
    if session.ends_at <= timezone.now():
        raise RegistrationError(_("This session is over: its registrations can no longer change."))
    registration.state = RegistrationState.CANCELLED
    registration.save(update_fields=["state", "updated_at"])
    record_audit(
        AuditAction.EVENT_REGISTRATION_CANCELLED,
        actor=actor,
        subject=registration.user,
        target=registration,
        details={"session": session.pk},
    )
    _promote(session, actor=actor)
    return registration


def _expire(registration: Registration, session: Session, *, actor=None) -> None:
    registration.state = RegistrationState.EXPIRED
    registration.save(update_fields=["state", "updated_at"])
    record_audit(
        AuditAction.EVENT_SEAT_EXPIRED,
        actor=actor,
        subject=registration.user,
        target=registration,
        details={"session": session.pk},
    )


@transaction.atomic
def confirm_offer(*, actor, registration: Registration) -> Registration:
    """She takes the seat she was offered, before its deadline."""
    registration, session = _lock_registration(registration)
    if registration.user_id != actor.pk:
        raise RegistrationError(_("Only the member offered the seat may confirm it."))
    if registration.state != RegistrationState.OFFERED:
        raise RegistrationError(_("There is no seat waiting for your confirmation on this session."))
    now = timezone.now()
    if registration.offer_expires_at and registration.offer_expires_at <= now:
        raise RegistrationError(_("The time to confirm this seat has passed: it went to the next person waiting."))
    registration.state = RegistrationState.REGISTERED
    registration.save(update_fields=["state", "updated_at"])
    record_audit(
        AuditAction.EVENT_SEAT_CONFIRMED,
        actor=actor,
        subject=actor,
        target=registration,
        details={"session": session.pk},
    )
    return registration


def expire_offers(*, now=None) -> int:
    """Offers not confirmed by their deadline pass on to the next on the waiting list (beat task)."""
    now = now or timezone.now()
    session_ids = set(
        Registration.objects.filter(state=RegistrationState.OFFERED, offer_expires_at__lte=now).values_list(
            "session_id", flat=True
        )
    )
    expired = 0
    for session_id in sorted(session_ids):
        with transaction.atomic():
            session = Session.objects.select_for_update().select_related("page").get(pk=session_id)
            late = list(
                Registration.objects.select_related("user").filter(
                    session=session, state=RegistrationState.OFFERED, offer_expires_at__lte=now
                )
            )
            for registration in late:
                _expire(registration, session)
            expired += len(late)
            _promote(session, now=now)
    return expired


@transaction.atomic
def decide_registration(*, actor, registration: Registration, approve: bool, note: str = "") -> Registration:
    """An organiser approves (a seat, else the waiting list) or declines a selective course's request."""
    permissions.check_is_organiser(actor)
    registration, session = _lock_registration(registration)
    if registration.state != RegistrationState.PENDING:
        raise RegistrationError(_("This request was already decided."))
    now = timezone.now()
    registration.decided_by, registration.decided_at, registration.decision_note = actor, now, note.strip()
    if approve:
        if seats_taken(session) < session.capacity:
            registration.state = RegistrationState.REGISTERED
        else:
            registration.state = RegistrationState.WAITLISTED
            registration.waitlisted_at = now
        action = AuditAction.EVENT_REGISTRATION_APPROVED
    else:
        registration.state = RegistrationState.DECLINED
        action = AuditAction.EVENT_REGISTRATION_DECLINED
    registration.save()
    record_audit(action, actor=actor, subject=registration.user, target=registration, reason=note)
    with notification_language(registration.user):
        values = {"title": _session_title(session), "state": registration.get_state_display()}
        _notify(
            registration,
            "decision",
            _("Your request for “%(title)s”: %(state)s") % values,
            registration.decision_note,
        )
    return registration


def new_certificate_code() -> str:
    return secrets.token_hex(6).upper()


@transaction.atomic
def mark_attendance(*, actor, session: Session, attended_ids) -> int:
    """Mark who of the session's participants attended (the others did not); attendees get a certificate code.
    Returns the number marked as attended."""
    permissions.check_is_organiser(actor)
    session = _lock_session(session)
    attended_ids = {int(pk) for pk in attended_ids}
    now = timezone.now()
    participants = list(Registration.objects.filter(session=session, state=RegistrationState.REGISTERED))
    issued = 0
    changed = []
    for registration in participants:
        attended = registration.pk in attended_ids
        if registration.attended is attended:
            continue
        registration.attended = attended
        registration.attendance_marked_at = now
        if attended and not registration.certificate_code:
            registration.certificate_code = new_certificate_code()
            issued += 1
        changed.append(registration)
    Registration.objects.bulk_update(changed, ["attended", "attendance_marked_at", "certificate_code"])
    count = sum(1 for registration in participants if registration.pk in attended_ids)
    record_audit(
        AuditAction.EVENT_ATTENDANCE_MARKED,
        actor=actor,
        target=session,
        details={"attended": count, "participants": len(participants), "certificates_issued": issued},
    )
    return count


@transaction.atomic
def message_registrants(*, actor, session: Session, subject: str, body: str) -> int:
    """An organiser's message to everyone with a seat (or an offer) on the session, by notification and email."""
    permissions.check_is_organiser(actor)
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise RegistrationError(_("Write a subject and a message."))
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    recipients = Registration.objects.select_related("user").filter(session=session, state__in=SEAT_STATES)
    sent = 0
    for registration in recipients:
        _notify(registration, f"message:{stamp}", subject, body)
        sent += 1
    record_audit(
        AuditAction.EVENT_REGISTRANTS_MESSAGED,
        actor=actor,
        target=session,
        details={"subject": subject[:200], "recipients": sent},
    )
    return sent


def calendar_feed_of(user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def reset_calendar_feed(*, actor) -> CalendarFeed:
    """A new secret: the old address stops working at once."""
    from events.models import new_feed_key

    feed, _created = CalendarFeed.objects.select_for_update().get_or_create(user=actor)
    feed.key = new_feed_key()
    feed.save()
    record_audit(AuditAction.EVENT_CALENDAR_FEED_RESET, actor=actor, subject=actor)
    return feed


def send_reminders(*, now=None) -> int:
    """Remind participants 7 days and 1 day before their session, once each (a SessionReminder row per
    reminder, created in the transaction that posts it). Returns the number sent."""
    now = now or timezone.now()
    sent = 0
    for days in REMINDER_DAYS:
        lower = now + datetime.timedelta(days=next((d for d in REMINDER_DAYS if d < days), 0))
        due = (
            Registration.objects.select_related("session__page", "user")
            .filter(
                state=RegistrationState.REGISTERED,
                session__starts_at__gt=lower,
                session__starts_at__lte=now + datetime.timedelta(days=days),
            )
            .filter(~Q(reminders__days_before=days))
        )
        for registration in due:
            with transaction.atomic():
                _reminder, created = SessionReminder.objects.get_or_create(registration=registration, days_before=days)
                if not created:
                    continue
                with notification_language(registration.user):
                    _notify(
                        registration,
                        f"reminder:{days}",
                        _("Reminder: “%(title)s” starts %(start)s")
                        % {
                            "title": _session_title(registration.session),
                            "start": _local_start(registration.session, registration.user),
                        },
                    )
                sent += 1
    return sent
