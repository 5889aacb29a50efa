"""The mentoring notifications (network/notifications.py sends them, in the recipient's language)."""

from django.utils.translation import gettext_lazy

from mentoring.models import Mentorship
from network.models import User
from network.notifications import register_notification_kind

KIND = "mentoring"


def _pair_mentorships(user: User, ids: list[str]) -> set[str]:
    numeric = [int(i) for i in ids if str(i).isdigit()]
    from django.db.models import Q

    rows = Mentorship.objects.filter(pk__in=numeric).filter(Q(mentee__member__user=user) | Q(mentor__member__user=user))
    return {str(pk) for pk in rows.values_list("pk", flat=True)}


def register() -> None:
    """Called from MentoringConfig.ready()."""
    register_notification_kind(KIND, label=gettext_lazy("Mentoring"), visible_targets=_pair_mentorships)
