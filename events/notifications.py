"""The notifications events post (network/notifications.py): offers, decisions, reminders, organisers' messages."""

from django.utils.translation import gettext_lazy

from events import permissions
from events.choices import CURRENT_STATES
from events.models import Registration
from events.services import SESSION_KIND
from network.notifications import register_notification_kind


def _sessions_still_hers(user, ids: list[str]) -> set[str]:
    """Of these sessions, those she is still on the list of (or that she organises)."""
    numeric = [int(i) for i in ids if str(i).isdigit()]
    if permissions.is_organiser(user):
        return {str(i) for i in numeric}
    rows = Registration.objects.filter(user=user, session_id__in=numeric, state__in=CURRENT_STATES)
    return {str(pk) for pk in rows.values_list("session_id", flat=True)}


def register() -> None:
    register_notification_kind(
        SESSION_KIND,
        label=gettext_lazy("Trainings and events you registered for"),
        visible_targets=_sessions_still_hers,
    )
