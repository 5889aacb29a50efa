"""The one map from member category and staff role to what a person may do.

Views and templates ask these functions; nothing else branches on a member's category.
`can_*` answer yes or no, `check_*` raise, `filter_*` narrow querysets.
"""

import functools

from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import LazyObject, empty

from network.choices import AccessLevel, CommunityAccessState, MemberCategory, StaffRole, Visibility
from network.models import CommunityAccessRequest, Member, User

# Active, civilian and honorary members form "the network"; observers are members but not in it.
NETWORK_CATEGORIES = frozenset({MemberCategory.ACTIVE, MemberCategory.CIVILIAN, MemberCategory.HONORARY})

# The access level each audience choice requires of the viewer.
VISIBILITY_REQUIRES = {
    Visibility.MEMBERS: AccessLevel.MEMBERS,
    Visibility.NETWORK: AccessLevel.NETWORK,
}

User_ = User | AnonymousUser


def get_member(user: User_) -> Member | None:
    if not user.is_authenticated:
        return None
    if not _member_relation().is_cached(user):
        load_viewer(user)
    try:
        return user.member
    except Member.DoesNotExist:
        return None


@functools.cache
def _member_relation():
    """The reverse side of Member.user, which knows whether `user.member` was read (or primed) already."""
    return User._meta.get_field("member")


def _current_community_access(today):
    return CommunityAccessRequest.objects.filter(state=CommunityAccessState.APPROVED).filter(
        Q(review_on__isnull=True) | Q(review_on__gt=today)
    )


def _admin_access_permissions(user: User):
    return Permission.objects.filter(
        Q(group__user=user) | Q(user=user), codename="access_admin", content_type__app_label="wagtailadmin"
    )


@functools.cache
def _viewer_sql() -> str:
    """The query of `load_viewer`, written once per process: one row per group of the user (at least one).

    Plain SQL: built by the ORM, with its subqueries, it took longer to compile than to run, on every
    signed-in page (and this form takes PostgreSQL the least time to plan). Identifiers come from the
    models' metadata; every value is a parameter.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from network.models import MemberMessage, Notification

    def table(model) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    admin_permission = (
        f"(SELECT p.id FROM {table(Permission)} p JOIN {table(ContentType)} ct ON ct.id = p.content_type_id "  # noqa: S608
        "WHERE p.codename = 'access_admin' AND ct.app_label = 'wagtailadmin')"
    )
    return (
        "SELECT m.*, g.name AS viewer_group, "  # noqa: S608
        f"EXISTS (SELECT 1 FROM {table(CommunityAccessRequest)} c WHERE c.member_id = m.id AND c.state = %s "
        "AND (c.review_on IS NULL OR c.review_on > %s)) AS viewer_community, "
        f"g.id IN (SELECT x.group_id FROM {table(Group.permissions.through)} x "
        f"WHERE x.permission_id = {admin_permission}) AS viewer_group_admin, "
        f"m.user_id IN (SELECT x.user_id FROM {table(User.user_permissions.through)} x "
        f"WHERE x.permission_id = {admin_permission}) AS viewer_user_admin, "
        f"(SELECT COUNT(*) FROM {table(MemberMessage)} mm WHERE mm.recipient_id = m.id AND mm.read_at IS NULL) "
        "AS viewer_unread, "
        f"(SELECT COUNT(*) FROM {table(Notification)} n WHERE n.recipient_id = m.user_id AND n.read_at IS NULL) "
        "AS viewer_notifications "
        f"FROM {table(Member)} m LEFT JOIN {table(User.groups.through)} ug ON ug.user_id = m.user_id "
        f"LEFT JOIN {table(Group)} g ON g.id = ug.group_id WHERE m.user_id = %s"
    )


def _unwrap(user: User_) -> User_:
    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        return user._wrapped
    return user


def load_viewer(user: User_) -> None:
    """Read in one query what the permission checks of a request ask about a signed-in user, and keep it on
    the user object: her member profile, whether she has Community of Practice access, her staff roles and
    whether she may open the admin (and, for the header, how many messages and notifications she has not read).

    Every signed-in page asks these (the header, the menu, the members' area); read one by one they cost
    four or five queries per page. The first permission question of the request calls this; the caches it
    fills are the ones `has_community_access`, `has_staff_role` and `can_open_admin` keep, so a service that
    changes one of them forgets it as before. An object already loaded (a view's `user.member`) is kept. A
    user without a member profile (a superuser made on the command line) gets the one-by-one answers.
    """
    if not user.is_authenticated:
        return
    # request.user is a lazy wrapper: what is kept must be kept on the user itself, where attribute reads
    # through the wrapper find it (the wrapper's own __dict__ is not the user's).
    user = _unwrap(user)
    if user.__dict__.get("_viewer_loaded"):
        return
    user._viewer_loaded = True
    params = [CommunityAccessState.APPROVED.value, timezone.localdate(), user.pk]
    _prime_viewer(user, list(Member.objects.raw(_viewer_sql(), params)))


def load_viewers(users) -> None:
    """`load_viewer` for many users in one query (a digest run asks about 2,000 recipients)."""
    users = [_unwrap(user) for user in users if user.is_authenticated]
    users = [user for user in users if not user.__dict__.get("_viewer_loaded")]
    if not users:
        return
    where = "WHERE m.user_id = %s"
    sql = _viewer_sql().replace(where, f"WHERE m.user_id IN ({', '.join(['%s'] * len(users))})")
    params = [CommunityAccessState.APPROVED.value, timezone.localdate(), *(user.pk for user in users)]
    rows_by_user: dict[int, list] = {}
    for row in Member.objects.raw(sql, params):
        rows_by_user.setdefault(row.user_id, []).append(row)
    for user in users:
        user._viewer_loaded = True
        _prime_viewer(user, rows_by_user.get(user.pk, []))


def _prime_viewer(user: User, rows: list) -> None:
    relation = _member_relation()
    if not relation.is_cached(user):
        if rows:
            user.member = rows[0]
        else:
            relation.set_cached_value(user, None)
    if not rows:
        return
    member = relation.get_cached_value(user)
    if member is not None:
        member.__dict__.setdefault("_has_community_access", bool(rows[0].viewer_community))
        # Not a permission, but on every signed-in page too (the header): network.queries.count_unread_messages.
        member.__dict__.setdefault("_unread_messages", rows[0].viewer_unread)
    # The header's notification badge: network.notifications.unread_notification_count.
    user.__dict__.setdefault("_unread_notifications", rows[0].viewer_notifications)
    user.__dict__.setdefault("_staff_role_names", {row.viewer_group for row in rows if row.viewer_group})
    user.__dict__.setdefault(
        "_can_open_admin", bool(rows[0].viewer_user_admin) or any(row.viewer_group_admin for row in rows)
    )


def membership_is_current(member: Member) -> bool:
    return member.membership_expires_on is None or member.membership_expires_on >= timezone.localdate()


def has_community_access(member: Member) -> bool:
    """An approved Community of Practice request whose review date has not passed."""
    # Cached on the instance: a page asks several times.
    if not hasattr(member, "_has_community_access"):
        member._has_community_access = _current_community_access(timezone.localdate()).filter(member=member).exists()
    return member._has_community_access


def access_level(user: User_) -> AccessLevel:
    """The highest access level the user holds.

    Observers stay at "members"; a lapsed membership drops to "members" until renewed, and the
    Community of Practice needs, on top of a network category, an approved access request.
    """
    member = get_member(user)
    if member is None or not member.category:
        return AccessLevel.PUBLIC
    if member.category not in NETWORK_CATEGORIES or not membership_is_current(member):
        return AccessLevel.MEMBERS
    if has_community_access(member):
        return AccessLevel.COMMUNITY
    return AccessLevel.NETWORK


def has_access_level(user: User_, level: AccessLevel) -> bool:
    return access_level(user) >= level


def has_staff_role(user: User_, role: StaffRole) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # Cached on the user object: templates ask several times per page.
    if not hasattr(user, "_staff_role_names"):
        load_viewer(user)
    if not hasattr(user, "_staff_role_names"):
        user._staff_role_names = set(user.groups.values_list("name", flat=True))
    return role.value in user._staff_role_names


# A member may renew her own membership from this many days before it expires until this many days after.
SELF_RENEWAL_OPENS_DAYS = 30
SELF_RENEWAL_CLOSES_DAYS = 30


def can_renew_own_membership(member: Member) -> bool:
    """An admitted member whose membership expires soon, or lapsed a short while ago, may renew it herself.

    Longer lapses go through the membership officers, who check that the category still fits.
    """
    if not member.category or member.membership_expires_on is None:
        return False
    days_left = (member.membership_expires_on - timezone.localdate()).days
    return -SELF_RENEWAL_CLOSES_DAYS <= days_left <= SELF_RENEWAL_OPENS_DAYS


def can_view_directory(user: User_) -> bool:
    return has_access_level(user, AccessLevel.NETWORK)


def can_enter_community(user: User_) -> bool:
    return has_access_level(user, AccessLevel.COMMUNITY)


def can_edit_profile(user: User_, member: Member) -> bool:
    return user.is_authenticated and member.user_id == user.pk


def can_view_member_field(viewer: User_, member: Member, field: str) -> bool:
    if field not in Member.VISIBLE_FIELDS:
        return False
    if can_edit_profile(viewer, member):
        return True
    required = VISIBILITY_REQUIRES.get(member.visibility_of(field))
    return required is not None and has_access_level(viewer, required)


def can_view_member_record(viewer: User_, member: Member, key: str) -> bool:
    """A record another app shows on a profile under its own audience (Member.RECORD_VISIBILITY_KEYS): the
    owner always, others as she chose (private by default)."""
    if key not in Member.RECORD_VISIBILITY_KEYS:
        return False
    if can_edit_profile(viewer, member):
        return True
    required = VISIBILITY_REQUIRES.get(member.visibility_of(key))
    return required is not None and has_access_level(viewer, required)


def visible_member_fields(viewer: User_, member: Member, audiences: list[str] | None = None) -> frozenset[str]:
    """The fields of `member` the viewer may see (`audiences`: the viewer's `shared_audiences`, when listing)."""
    if can_edit_profile(viewer, member):
        return frozenset(Member.VISIBLE_FIELDS)
    audiences = shared_audiences(viewer) if audiences is None else audiences
    return frozenset(field for field in Member.VISIBLE_FIELDS if member.visibility_of(field) in audiences)


def can_view_profile(viewer: User_, member: Member) -> bool:
    """A profile exists for a viewer only if the owner shares at least one field with them."""
    return can_edit_profile(viewer, member) or bool(visible_member_fields(viewer, member))


def check_can_view_profile(viewer: User_, member: Member) -> None:
    if not can_view_profile(viewer, member):
        raise PermissionDenied


def can_open_admin(user: User_) -> bool:
    """Whether to offer the Wagtail admin: one query, not the full permission load of has_perm()."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_can_open_admin"):
        load_viewer(user)
    if not hasattr(user, "_can_open_admin"):
        user._can_open_admin = _admin_access_permissions(user).exists()
    return user._can_open_admin


def requires_mfa(user: User_) -> bool:
    """Staff and anyone who may open the Wagtail admin must use a second factor."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin")


def must_enrol_mfa(user: User_) -> bool:
    from allauth.mfa.utils import is_mfa_enabled

    return requires_mfa(user) and not is_mfa_enabled(user)


def filter_members_for_user(user: User_, members: QuerySet[Member]) -> QuerySet[Member]:
    """Members whose profile the user may open at all (their own, or any sharing a field with them)."""
    audiences = shared_audiences(user)
    if not audiences:
        return members.filter(user_id=user.pk) if user.is_authenticated else members.none()
    shared = Member.objects.none()
    for field in Member.VISIBLE_FIELDS:
        shared = shared | members.filter(**{f"visibility__{field}__in": audiences})
    return shared | members.filter(user_id=user.pk)


def capabilities(user: User_) -> dict[str, bool]:
    """What the navigation and templates offer this user."""
    return {
        "view_directory": can_view_directory(user),
        "enter_community": can_enter_community(user),
        "open_admin": can_open_admin(user),
        "is_member": has_access_level(user, AccessLevel.MEMBERS),
    }


# --- directory, messages, community of practice, privacy ---
# Staff impersonation ("log in as this member") is deliberately not offered: members' profiles, messages and
# deployments are sensitive, and support staff work from the admin views instead. If it is ever added, every
# start and end of an impersonation must be recorded with record_audit.


def shared_audiences(user: User_) -> list[str]:
    """The visibility choices whose fields the user may see on other members' profiles."""
    level = access_level(user)
    return [choice for choice, required in VISIBILITY_REQUIRES.items() if level >= required]


def filter_directory_members_for_user(user: User_, members: QuerySet[Member]) -> QuerySet[Member]:
    """Other current network members (active, civilian, honorary) who share at least one field with the user;
    none for non-network users.

    The directory is the network's: observers are not listed, as they may not open it either. Unlike
    `filter_members_for_user` this leaves out applicants (no category), members whose membership has
    lapsed, deactivated accounts and the user themselves: the directory lists the membership as it is today.
    Directory users are network members, who see every field shared with the network or with all members:
    the `network_sees_*` columns, which filters on a profile field must also use.
    """
    if not can_view_directory(user):
        return members.none()
    return filter_listed_directory_members(members).exclude(user_id=user.pk)


def filter_listed_directory_members(members: QuerySet[Member]) -> QuerySet[Member]:
    """The members the directory lists to its users: current network members with an active account who
    share at least one field with the network (what `filter_directory_members_for_user` narrows further)."""
    today = timezone.localdate()
    return members.filter(network_sees_any=True, user__is_active=True, category__in=NETWORK_CATEGORIES).filter(
        Q(membership_expires_on__isnull=True) | Q(membership_expires_on__gte=today)
    )


def visible_missions(
    viewer: User_, member: Member, services: list | None = None, *, visible_fields: frozenset[str] | None = None
) -> list:
    """The mission services the viewer may see; a hidden current deployment is shown to its owner only.

    `services` are the member's mission services when the caller loaded them already (a list of members);
    otherwise `member.missions.all()` is read. `visible_fields`: the member's `visible_member_fields` for this
    viewer, when the caller has them.
    """
    if visible_fields is None:
        visible_fields = visible_member_fields(viewer, member)
    if "missions" not in visible_fields:
        return []
    services = list(member.missions.all() if services is None else services)
    if member.hide_current_deployment and not can_edit_profile(viewer, member):
        services = [service for service in services if service.end_year is not None]
    return services


def can_contact_member(user: User_, member: Member) -> bool:
    """Network members may write to members they can find in the directory."""
    return filter_directory_members_for_user(user, Member.objects.filter(pk=member.pk)).exists()


def is_message_participant(user: User_, message) -> bool:
    member = get_member(user)
    return member is not None and member.pk in (message.sender_id, message.recipient_id)


def can_reply_to_message(user: User_, message) -> bool:
    """Only the recipient replies, and only while the sender still has an account."""
    member = get_member(user)
    return member is not None and message.recipient_id == member.pk and message.sender_id is not None


def community_ineligibility(user: User_) -> str:
    """Why the user may not ask for Community of Practice access ("" when they may).

    One of "anonymous", "applicant" (not admitted yet), "observer" (a category outside the network) or
    "lapsed" (membership expired).
    """
    member = get_member(user)
    if member is None:
        return "anonymous"
    if not member.category:
        return "applicant"
    if member.category not in NETWORK_CATEGORIES:
        return "observer"
    if not membership_is_current(member):
        return "lapsed"
    return ""


def can_request_community_access(user: User_) -> bool:
    if community_ineligibility(user):
        return False
    from network.models.community import OPEN_COMMUNITY_STATES

    return not CommunityAccessRequest.objects.filter(member=user.member, state__in=OPEN_COMMUNITY_STATES).exists()


def can_moderate_community(user: User_) -> bool:
    """Community moderators and administrators decide on Community of Practice access."""
    return has_staff_role(user, StaffRole.MODERATOR) or has_staff_role(user, StaffRole.ADMINISTRATOR)


def check_can_moderate_community(user: User_) -> None:
    if not can_moderate_community(user):
        raise PermissionDenied


def can_endorse_community_request(user: User_, access_request: CommunityAccessRequest) -> bool:
    """A network member may endorse someone else's pending request if that person is visible to them."""
    if access_request.state != CommunityAccessState.PENDING or not can_view_directory(user):
        return False
    return filter_directory_members_for_user(user, Member.objects.filter(pk=access_request.member_id)).exists()


def filter_endorsable_requests_for_user(user: User_, requests: QuerySet) -> QuerySet:
    """Pending requests of members the user can find in the directory."""
    if not can_view_directory(user):
        return requests.none()
    visible = filter_directory_members_for_user(user, Member.objects.all())
    return requests.filter(state=CommunityAccessState.PENDING, member__in=visible)


def has_feature_consent(member: Member) -> bool:
    """Whether the member agreed, and has not withdrawn, to being featured on the public website."""
    from network.choices import ConsentKind
    from network.models import ConsentRecord

    return ConsentRecord.objects.filter(
        user_id=member.user_id, kind=ConsentKind.FEATURE, withdrawn_at__isnull=True
    ).exists()


def filter_members_with_feature_consent(members: QuerySet[Member]) -> QuerySet[Member]:
    """Members who may be featured on the public website (consent given and not withdrawn)."""
    from network.choices import ConsentKind
    from network.models import ConsentRecord

    consents = ConsentRecord.objects.filter(kind=ConsentKind.FEATURE, withdrawn_at__isnull=True)
    return members.filter(user_id__in=consents.values("user_id"))


# --- membership administration (applications, member list, audit log) ---


def can_review_applications(user: User_) -> bool:
    """Membership officers and administrators decide applications, change categories and renew memberships."""
    return has_staff_role(user, StaffRole.MEMBERSHIP_OFFICER) or has_staff_role(user, StaffRole.ADMINISTRATOR)


def check_can_review_applications(user: User_) -> None:
    if not can_review_applications(user):
        raise PermissionDenied


def can_view_member_list(user: User_) -> bool:
    """The staff member list (with email addresses and CSV export): officers, moderators, administrators.

    Editors manage public content and have no need for member data.
    """
    return can_review_applications(user) or has_staff_role(user, StaffRole.MODERATOR)


def can_view_audit_log(user: User_) -> bool:
    return has_staff_role(user, StaffRole.ADMINISTRATOR)


def check_can_manage_staff_roles(user: User_) -> None:
    if not has_staff_role(user, StaffRole.ADMINISTRATOR):
        raise PermissionDenied


# --- imports ---
# Importing members creates accounts in bulk: membership officers and administrators only.
MEMBER_IMPORT_ROLES = (StaffRole.MEMBERSHIP_OFFICER, StaffRole.ADMINISTRATOR)


def can_import_members(user: User_) -> bool:
    return any(has_staff_role(user, role) for role in MEMBER_IMPORT_ROLES)


def check_can_import_members(user: User_) -> None:
    if not can_import_members(user):
        raise PermissionDenied


# --- content editors ---
# Editors keep the public content current (pages, campaigns, featured members); administrators may too.
CONTENT_EDITOR_ROLES = (StaffRole.EDITOR, StaffRole.ADMINISTRATOR)


def can_edit_content(user: User_) -> bool:
    return any(has_staff_role(user, role) for role in CONTENT_EDITOR_ROLES)


def can_nominate_for_spotlight(user: User_) -> bool:
    """Editors (who publish the featured members) nominate members for the spotlight."""
    return can_edit_content(user)


# --- restricted objects: per-object grants (django-guardian) ---
# A working group's forum or a document collection can be closed to all but the people (or groups) granted a
# permission on it with network.services.staff.grant_object_permission. A grant never lifts the access level:
# the holder must still reach `level` (by default the Community of Practice), so a lapsed membership or a
# category change closes the object too, without touching the grant.


def can_access_object(user: User_, perm: str, obj, *, level: AccessLevel = AccessLevel.COMMUNITY) -> bool:
    """Whether the user reaches `level` and holds `perm` ("app_label.codename") on this object, directly or
    through one of their groups. A model-wide permission does not count: only grants on the object do."""
    if not has_access_level(user, level):
        return False
    from guardian.core import ObjectPermissionChecker

    return ObjectPermissionChecker(user).has_perm(perm.split(".", 1)[-1], obj)


def check_can_access_object(user: User_, perm: str, obj, *, level: AccessLevel = AccessLevel.COMMUNITY) -> None:
    if not can_access_object(user, perm, obj, level=level):
        raise PermissionDenied


def granted_object_ids(users, perm: str, objects: QuerySet, *, level: AccessLevel = AccessLevel.COMMUNITY) -> dict:
    """{user id: the pks of `objects` each user may open} for many users at once, as filter_objects_for_user
    answers for one (two queries, whatever the number of users)."""
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import GroupObjectPermission, UserObjectPermission

    users = [_unwrap(user) for user in users]
    load_viewers(users)
    allowed = [user for user in users if has_access_level(user, level)]
    result = {user.pk: set() for user in users}
    if not allowed:
        return result
    pks = {str(pk): pk for pk in objects.values_list("pk", flat=True)}
    for user in allowed:
        if user.is_superuser:
            result[user.pk] = set(pks.values())
    grant = {
        "permission__content_type": ContentType.objects.get_for_model(objects.model),
        "permission__codename": perm.split(".", 1)[-1],
        "object_pk__in": list(pks),
    }
    ids = [user.pk for user in allowed]
    direct = UserObjectPermission.objects.filter(user_id__in=ids, **grant).values_list("user_id", "object_pk")
    through_groups = GroupObjectPermission.objects.filter(group__user__in=ids, **grant).values_list(
        "group__user", "object_pk"
    )
    for user_id, object_pk in [*direct, *through_groups]:
        if user_id in result and object_pk in pks:
            result[user_id].add(pks[object_pk])
    return result


def filter_objects_for_user(
    user: User_, perm: str, objects: QuerySet, *, level: AccessLevel = AccessLevel.COMMUNITY
) -> QuerySet:
    """The objects the user may open: those granted to them or their groups, none below `level`."""
    if not has_access_level(user, level):
        return objects.none()
    user = _unwrap(user)
    if user.is_superuser:
        return objects  # as guardian's get_objects_for_user
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField
    from django.db.models.functions import Cast
    from guardian.models import GroupObjectPermission, UserObjectPermission

    # The grants as two subqueries, as guardian's get_objects_for_user(accept_global_perms=False) builds them,
    # written out: its generic code costs some 4 ms of Python per call, and forum pages call it on every request.
    grant = {
        "permission__content_type": ContentType.objects.get_for_model(objects.model),
        "permission__codename": perm.split(".", 1)[-1],
    }
    granted = Q(granted_pk__in=UserObjectPermission.objects.filter(user=user, **grant).values("object_pk")) | Q(
        granted_pk__in=GroupObjectPermission.objects.filter(group__user=user, **grant).values("object_pk")
    )
    return objects.alias(granted_pk=Cast("pk", CharField())).filter(granted)


def granted_pks(user: User_, perms: list[str], model, pks, *, level: AccessLevel = AccessLevel.COMMUNITY) -> dict:
    """{perm: the pks among `pks` this user may open with it} for several permissions on one model, in one query
    (filter_objects_for_user asks for one permission, as a queryset; a page that needs two answers, such as
    the forum pages' "may read" and "may moderate", asks here once). The same rules: grants to the user or
    her groups, none below `level`, everything for a superuser."""
    pks = {str(pk): pk for pk in pks}
    result: dict[str, set] = {perm: set() for perm in perms}
    if not pks or not perms or not has_access_level(user, level):
        return result
    user = _unwrap(user)
    if user.is_superuser:
        return {perm: set(pks.values()) for perm in perms}
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from guardian.models import GroupObjectPermission, UserObjectPermission

    codenames = {perm.split(".", 1)[-1]: perm for perm in perms}
    quote = connection.ops.quote_name
    tables = {
        "user_perm": quote(UserObjectPermission._meta.db_table),
        "group_perm": quote(GroupObjectPermission._meta.db_table),
        "permission": quote(Permission._meta.db_table),
        "user_groups": quote(User.groups.through._meta.db_table),
    }
    codes = ", ".join(["%s"] * len(codenames))
    objects = ", ".join(["%s"] * len(pks))
    where = f"p.content_type_id = %s AND p.codename IN ({codes}) AND o.object_pk IN ({objects})"
    sql = (
        f"SELECT p.codename, o.object_pk FROM {tables['user_perm']} o "  # noqa: S608 -- names from our models
        f"JOIN {tables['permission']} p ON p.id = o.permission_id WHERE o.user_id = %s AND {where} "
        f"UNION SELECT p.codename, o.object_pk FROM {tables['group_perm']} o "
        f"JOIN {tables['permission']} p ON p.id = o.permission_id "
        f"JOIN {tables['user_groups']} ug ON ug.group_id = o.group_id WHERE ug.user_id = %s AND {where}"
    )
    content_type = ContentType.objects.get_for_model(model).pk
    condition = [content_type, *codenames, *pks]
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, *condition, user.pk, *condition])
        for codename, object_pk in cursor.fetchall():
            result[codenames[codename]].add(pks[object_pk])
    return result
