"""Mentoring background work (Celery beat): request reminders, expiry, check-in nudges. Each task is safe to
run twice: the services only act on rows still in the state they expect."""

from celery import shared_task
from django.utils import timezone

from mentoring import services
from mentoring.choices import MentorshipState
from mentoring.models import Mentorship


@shared_task(acks_late=True)
def send_request_reminders() -> int:
    """Remind mentors of requests whose deadline is less than a day away (once per request)."""
    now = timezone.now()
    due = Mentorship.objects.filter(
        state=MentorshipState.REQUESTED,
        reminded_at__isnull=True,
        answer_by__gt=now,
        answer_by__lte=now + services.REMIND_BEFORE,
    ).select_related("programme", "mentee__member__user", "mentor__member__user")
    return sum(services.remind_of_request(mentorship) for mentorship in due)


@shared_task(acks_late=True)
def expire_requests() -> int:
    """Requests past their deadline expire; each mentee is offered her next suggestion."""
    now = timezone.now()
    due = Mentorship.objects.filter(state=MentorshipState.REQUESTED, answer_by__lte=now).select_related(
        "programme", "mentee__member__user", "mentor__member__user"
    )
    return sum(services.expire_request(mentorship, now=now) for mentorship in due)


@shared_task(acks_late=True)
def send_checkin_nudges() -> int:
    """Nudge active pairs that have not logged a meeting for 30 days (at most once per 30 days)."""
    now = timezone.now()
    due = Mentorship.objects.filter(state=MentorshipState.ACTIVE).select_related(
        "programme", "mentee__member__user", "mentor__member__user"
    )
    return sum(services.nudge_pair(mentorship, now=now) for mentorship in due)
