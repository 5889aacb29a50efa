"""The members' area ("My network") of one person: the sections the apps register in network/areas.py,
rendered and kept in the cache for a short while per person and language.

Every signed-in member opens it often, and its sections ask a query or two each. The cached page body is
forgotten as soon as what it shows of her changes: her messages, profile, application, Community of
Practice request or staff roles (the receivers below), and anything an app registers a section for through
`forget_members_area` (campaigns does for advocacy actions). What others change — the size of the
directory, the queues of staff — shows within `MEMBERS_AREA_SECONDS`.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from network.areas import Section, member_sections
from network.models import CommunityAccessRequest, Member, MemberMessage, MembershipApplication, User

MEMBERS_AREA_SECONDS = 60


def _key(user_id: int, language: str) -> str:
    return f"members-area:{user_id}:{language}"


def members_area_sections(request: HttpRequest) -> list[Section]:
    """The sections of the signed-in user's members' area, in order."""
    return member_sections(request)


def render_members_area(request: HttpRequest) -> str:
    """The body of the signed-in user's members' area as HTML, from the cache when it has it.

    The rendered HTML is kept rather than the sections: drawing a dozen blocks costs as much as finding
    what goes in them. It holds no form and no token, only what the sections say of her.
    """
    key = _key(request.user.pk, get_language())
    html = cache.get(key)
    if html is None:
        sections = members_area_sections(request)
        html = render_to_string(
            "network/includes/members_area_body.html",
            {
                "sections": [section for section in sections if not section.unavailable],
                "unavailable": [section for section in sections if section.unavailable],
            },
            request=request,
        )
        cache.set(key, html, MEMBERS_AREA_SECONDS)
    return mark_safe(html)  # noqa: S308 -- rendered by our template above, escaped there


def forget_members_area(*user_ids: int | None) -> None:
    """Forget the cached members' area of these users, in every language: something it shows has changed.

    Forgotten now and again once the transaction commits: a request reading in between would otherwise
    cache the old state again until it expires.
    """
    keys = [_key(user_id, code) for user_id in user_ids if user_id for code, _name in settings.LANGUAGES]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def forget_members_area_of_members(*member_ids: int | None) -> None:
    ids = [member_id for member_id in member_ids if member_id]
    if ids:
        forget_members_area(*Member.objects.filter(pk__in=ids).values_list("user_id", flat=True))


def _forget_for_message(sender, instance: MemberMessage, **kwargs) -> None:
    forget_members_area_of_members(instance.sender_id, instance.recipient_id)


def _forget_for_member(sender, instance: Member, **kwargs) -> None:
    forget_members_area(instance.user_id)


def _forget_for_application(sender, instance: MembershipApplication, **kwargs) -> None:
    forget_members_area(instance.user_id)


def _forget_for_community_request(sender, instance: CommunityAccessRequest, **kwargs) -> None:
    forget_members_area_of_members(instance.member_id)


def _forget_for_groups(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if isinstance(instance, User):
        forget_members_area(instance.pk)
    elif pk_set:  # a group's users changed: the users are the primary keys
        forget_members_area(*pk_set)


def connect_receivers() -> None:
    """Called from NetworkConfig.ready()."""
    for model, receiver in (
        (MemberMessage, _forget_for_message),
        (Member, _forget_for_member),
        (MembershipApplication, _forget_for_application),
        (CommunityAccessRequest, _forget_for_community_request),
    ):
        name = f"members_area_{model._meta.model_name}"
        post_save.connect(receiver, sender=model, dispatch_uid=f"{name}_save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{name}_delete")
    m2m_changed.connect(_forget_for_groups, sender=User.groups.through, dispatch_uid="members_area_groups")
