"""The access labels of the person searching, from the one policy in network/permissions.py and the passes the
registered sources give from their own apps' policies (a forum moderator's forums, say)."""

import logging

from network.permissions import access_level
from search.engines.base import Viewer
from search.registry import get_sources

logger = logging.getLogger(__name__)


def passes_for(user) -> frozenset[str]:
    """Every registered source's pass labels for this user (none for a visitor who is not signed in)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    labels: set[str] = set()
    for source in get_sources():
        if source.passes is not None:
            labels.update(str(label) for label in source.passes(user))
    return frozenset(labels)


def viewer_for(user) -> Viewer:
    """Her access level, grants for herself ("u:<id>") and each of her groups ("g:<id>"), and her passes."""
    level = int(access_level(user))
    if not getattr(user, "is_authenticated", False):
        return Viewer(level=level)
    group_ids = user.groups.values_list("pk", flat=True)
    grants = {f"u:{user.pk}", *(f"g:{pk}" for pk in group_ids)}
    return Viewer(level=level, grants=frozenset(grants), passes=passes_for(user))
