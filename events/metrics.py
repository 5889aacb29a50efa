"""The campaign metric this app owns, in the campaigns' registry (imported from EventsConfig.ready())."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from campaigns.metrics import metric
from events import queries


@metric("training_participants", label=_("Training participants"), noun=_("participants"))
def training_participants(day) -> Decimal:
    """Members who attended at least one training session that started by the end of the day."""
    return Decimal(queries.training_participants_as_of(day))
