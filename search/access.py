"""The access labels of the person searching, from the one policy in network/permissions.py."""

from network.permissions import access_level
from search.engines.base import Viewer


def viewer_for(user) -> Viewer:
    """Her access level, and grants for herself ("u:<id>") and each of her groups ("g:<id>")."""
    level = int(access_level(user))
    if not getattr(user, "is_authenticated", False):
        return Viewer(level=level)
    group_ids = user.groups.values_list("pk", flat=True)
    grants = {f"u:{user.pk}", *(f"g:{pk}" for pk in group_ids)}
    return Viewer(level=level, grants=frozenset(grants))
