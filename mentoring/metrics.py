"""The campaign metric "active mentoring pairs", registered in the campaigns' metric registry."""

import datetime
from collections import Counter
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.metrics import MetricValue, end_of_day, metric
from mentoring.choices import MentorshipState
from mentoring.models import Mentorship


@metric("mentoring_active_pairs", label=_("Active mentoring pairs"), noun=_("pairs"))
def active_mentoring_pairs(day: datetime.date) -> MetricValue:
    """Pairs accepted before the end of the day and not closed by then, by programme."""
    end = end_of_day(day)
    pairs = Mentorship.objects.filter(
        state__in=(MentorshipState.ACCEPTED, MentorshipState.ACTIVE, MentorshipState.CLOSED),
        decided_at__lt=end,
    ).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end))
    by_programme = Counter(pairs.values_list("programme__slug", flat=True))
    return MetricValue(Decimal(sum(by_programme.values())), {"programme": dict(by_programme)})
