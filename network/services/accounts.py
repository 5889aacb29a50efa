"""Accounts and member profiles."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from network.models import Member, MissionService, User


def ensure_member_profile(user: User) -> Member:
    """Give a user their (empty, private) membership profile if they have none yet."""
    member, _created = Member.objects.get_or_create(user=user)
    return member


@transaction.atomic
def update_member_profile(
    member: Member,
    *,
    actor: User,
    first_name: str,
    last_name: str,
    fields: dict,
    languages,
    expertise,
    visibility: dict[str, str],
    missions: list[dict],
    time_zone: str | None = None,
) -> Member:
    """Save a member's own profile: names, profile fields, audiences and the missions they served in."""
    if member.user_id != actor.pk:
        raise PermissionDenied
    user = member.user
    user.first_name, user.last_name = first_name, last_name
    update_fields = ["first_name", "last_name"]
    if time_zone is not None:
        user.time_zone = time_zone
        update_fields.append("time_zone")
    user.save(update_fields=update_fields)
    old_photo = member.photo.name if member.photo else ""
    for name, value in fields.items():
        setattr(member, name, value)
    keys = (*Member.VISIBLE_FIELDS, *Member.RECORD_VISIBILITY_KEYS)
    member.visibility = {field: visibility[field] for field in keys if field in visibility}
    member.save()
    member.languages.set(languages)
    member.expertise.set(expertise)
    member.missions.all().delete()
    MissionService.objects.bulk_create(MissionService(member=member, **mission) for mission in missions)
    new_photo = member.photo.name if member.photo else ""
    if old_photo and old_photo != new_photo:
        storage = member.photo.storage
        transaction.on_commit(lambda: storage.delete(old_photo))
    return member


@transaction.atomic
def share_profile_with_network(member: Member, *, actor: User) -> list[str]:
    """The one-step "share my profile": every field the member keeps private is shown to the network.

    Fields already shared (with the network or all members) keep their audience. Returns the fields opened.
    """
    from network.choices import Visibility

    if member.user_id != actor.pk:
        raise PermissionDenied
    locked = Member.objects.select_for_update().get(pk=member.pk)
    opened = [field for field in Member.VISIBLE_FIELDS if locked.visibility_of(field) == Visibility.PRIVATE]
    locked.visibility = {**locked.visibility, **dict.fromkeys(opened, Visibility.NETWORK.value)}
    locked.save(update_fields=["visibility", "updated_at"])
    member.visibility = locked.visibility
    return opened


def ensure_staff_groups() -> None:
    """Create the staff role groups with the Wagtail permissions each role needs (idempotent)."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission, Page

    from network.choices import StaffRole

    access_admin = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin").first()
    if access_admin is None:  # wagtailadmin not migrated yet
        return
    for role in StaffRole:
        group, _created = Group.objects.get_or_create(name=role.value)
        group.permissions.add(access_admin)
    # Editors keep the pages current themselves, so they may publish (Wagtail's default Editors may not).
    root = Page.get_first_root_node()
    publish = Permission.objects.filter(content_type__app_label="wagtailcore", codename="publish_page").first()
    if root is not None and publish is not None:
        GroupPagePermission.objects.get_or_create(
            group=Group.objects.get(name=StaffRole.EDITOR.value), page=root, permission=publish
        )
