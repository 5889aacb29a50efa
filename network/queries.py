from django.db.models import Prefetch

from network.models import Member, MissionService, User
from network.services import ensure_member_profile


def get_own_member(user: User) -> Member:
    ensure_member_profile(user)
    return _profiles().get(user=user)


def get_member_by_public_id(public_id) -> Member:
    return _profiles().get(public_id=public_id)


def _profiles():
    return Member.objects.select_related("user").prefetch_related(
        "languages",
        "expertise",
        Prefetch("missions", queryset=MissionService.objects.select_related("mission")),
    )
