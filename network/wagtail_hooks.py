"""Wagtail admin for membership: viewsets and panels, one block per domain."""

from wagtail import hooks  # noqa: F401

# --- applications, members and audit ---


@hooks.register("register_admin_viewset")
def register_membership_admin():
    from network.views.membership_admin import MembershipAdminGroup

    return MembershipAdminGroup()


def _register_membership_bulk_actions():
    # Wagtail wants the action class itself under this hook; importing it here also registers the
    # permission policies of the membership models before anything asks for them.
    from network.views.membership_admin import BulkApproveApplications

    hooks.register("register_bulk_action", BulkApproveApplications)


_register_membership_bulk_actions()


@hooks.register("construct_homepage_panels")
def add_pending_membership_work_panel(request, panels):
    from network.pending_work import pending_work_items
    from network.views.membership_admin import PendingMembershipWorkPanel

    if items := pending_work_items(request.user):
        panels.append(PendingMembershipWorkPanel(items))


# Group changes in Wagtail's user administration are audited with the admin who made them (network/services/staff.py).
@hooks.register("before_create_user")
def remember_user_creator(request):
    from network.services.staff import remember_admin_actor

    remember_admin_actor(request.user)


@hooks.register("before_edit_user")
def remember_user_editor(request, user):
    from network.services.staff import remember_admin_actor

    remember_admin_actor(request.user)


@hooks.register("before_bulk_action")
def remember_bulk_actor(request, action_type, objects, action_class_instance):
    from network.services.staff import remember_admin_actor

    remember_admin_actor(request.user)


# --- community of practice ---


@hooks.register("register_admin_viewset")
def register_community_access_viewset():
    from network.views.community_admin import CommunityAccessViewSet

    return CommunityAccessViewSet()


# --- imports ---


@hooks.register("register_admin_viewset")
def register_member_import_viewset():
    from network.views.imports import MemberImportViewSet

    return MemberImportViewSet()
