"""Staff roles (Django groups) and per-object grants (django-guardian), every change audited.

Changes made through these services carry their actor and reason. Group changes made elsewhere (Wagtail's
user administration, the shell) are caught by an m2m_changed receiver and audited too: with the admin user
who made them when a Wagtail hook told us who that is, else as "system".
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth.models import Group
from django.core.signals import request_finished, request_started
from django.db import models, transaction
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from guardian.shortcuts import assign_perm, remove_perm

from network.choices import AuditAction, StaffRole
from network.models import User
from network.services.audit import record_audit

# Who is changing users in the Wagtail admin during this request (set by hooks in wagtail_hooks.py).
_admin_actor: ContextVar[User | None] = ContextVar("admin_actor", default=None)
# True while a service below changes groups itself and writes its own, more detailed audit entry.
_audited_by_service: ContextVar[bool] = ContextVar("audited_by_service", default=False)


def _check_actor(actor: User | None) -> None:
    from network.permissions import check_can_manage_staff_roles

    # No actor means the system itself (a management command, a data migration).
    if actor is not None:
        check_can_manage_staff_roles(actor)


@contextmanager
def _service_audits():
    token = _audited_by_service.set(True)
    try:
        yield
    finally:
        _audited_by_service.reset(token)


def grant_staff_role(user: User, role: StaffRole, *, actor: User | None, reason: str) -> bool:
    """Add the user to the role's group; returns False if they already had it (nothing recorded)."""
    return _change_staff_role(user, role, actor=actor, reason=reason, grant=True)


def revoke_staff_role(user: User, role: StaffRole, *, actor: User | None, reason: str) -> bool:
    """Remove the user from the role's group; returns False if they did not have it."""
    return _change_staff_role(user, role, actor=actor, reason=reason, grant=False)


@transaction.atomic
def _change_staff_role(user: User, role: StaffRole, *, actor: User | None, reason: str, grant: bool) -> bool:
    _check_actor(actor)
    group = Group.objects.get(name=StaffRole(role).value)
    if user.groups.filter(pk=group.pk).exists() == grant:
        return False
    with _service_audits():
        (user.groups.add if grant else user.groups.remove)(group)
    user.__dict__.pop("_staff_role_names", None)
    user.__dict__.pop("_can_open_admin", None)
    record_audit(
        AuditAction.STAFF_ROLE_GRANTED if grant else AuditAction.STAFF_ROLE_REVOKED,
        actor=actor,
        subject=user,
        target=group,
        reason=reason,
        details={"group": group.name},
    )
    return True


def grant_object_permission(
    user_or_group: User | Group, perm: str, obj: models.Model, *, actor: User | None, reason: str
) -> None:
    """Give a user or group one permission on one object (django-guardian), audited."""
    _change_object_permission(user_or_group, perm, obj, actor=actor, reason=reason, grant=True)


def revoke_object_permission(
    user_or_group: User | Group, perm: str, obj: models.Model, *, actor: User | None, reason: str
) -> None:
    """Take one object permission away from a user or group (django-guardian), audited."""
    _change_object_permission(user_or_group, perm, obj, actor=actor, reason=reason, grant=False)


@transaction.atomic
def _change_object_permission(
    user_or_group: User | Group, perm: str, obj: models.Model, *, actor: User | None, reason: str, grant: bool
) -> None:
    _check_actor(actor)
    (assign_perm if grant else remove_perm)(perm, user_or_group, obj)
    details = {"permission": perm, "object": str(obj)}
    if isinstance(user_or_group, Group):
        details["group"] = user_or_group.name
    record_audit(
        AuditAction.OBJECT_PERMISSION_GRANTED if grant else AuditAction.OBJECT_PERMISSION_REVOKED,
        actor=actor,
        subject=user_or_group if isinstance(user_or_group, User) else None,
        target=obj,
        reason=reason,
        details=details,
    )


# --- group changes made outside the services ------------------------------------------------------


def remember_admin_actor(user: User) -> None:
    """Called by Wagtail hooks before a user-admin view changes users: their group changes are by `user`."""
    _admin_actor.set(user if user.is_authenticated else None)


@receiver(request_started, dispatch_uid="network_staff_forget_admin_actor_at_start")
@receiver(request_finished, dispatch_uid="network_staff_forget_admin_actor_at_end")
def _forget_admin_actor(**kwargs) -> None:
    # A thread serves many requests and may run other code between them: the admin is remembered for the
    # one request only, never blamed for a later change.
    _admin_actor.set(None)


def _memberships(instance, reverse: bool, pk_set) -> list[tuple[User, Group]]:
    """The (user, group) pairs one m2m change is about; pk_set None means all (clear)."""
    if reverse:  # group.user_set.add(...)
        users = instance.user_set.all() if pk_set is None else User.objects.filter(pk__in=pk_set)
        return [(user, instance) for user in users]
    groups = instance.groups.all() if pk_set is None else Group.objects.filter(pk__in=pk_set)
    return [(instance, group) for group in groups]


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="network_staff_audit_group_changes")
def audit_group_membership_change(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """Audit group changes not made through the services above (e.g. in Wagtail's user administration)."""
    if _audited_by_service.get():
        return
    if action == "post_add":
        # Django has already left out the groups the user had, so every pair here is new.
        pairs, audit_action = _memberships(instance, reverse, pk_set), AuditAction.STAFF_ROLE_GRANTED
    elif action in ("pre_remove", "pre_clear"):
        # Before the rows go, so that only memberships that really exist are recorded; the removal runs
        # in the same transaction, so the entries disappear with it if it fails.
        pairs = _memberships(instance, reverse, pk_set)
        through = User.groups.through.objects
        pairs = [(user, group) for user, group in pairs if through.filter(user=user, group=group).exists()]
        audit_action = AuditAction.STAFF_ROLE_REVOKED
    else:
        return
    actor = _admin_actor.get()
    for user, group in pairs:
        record_audit(
            audit_action,
            actor=actor,
            subject=user,
            target=group,
            reason="Changed in the user administration" if actor is not None else "",
            details={"group": group.name},
        )
