"""Wagtail admin for the library's taxonomy: the topics documents are filed under, kept by editors
(library.permissions.can_manage_library) rather than through Django model permissions."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from library.models import Topic
from library.permissions import can_manage_library
from network.choices import StaffRole


class LibraryEditorsPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        return can_manage_library(user)

    def user_has_any_permission(self, user, actions):
        return can_manage_library(user)

    def users_with_any_permission(self, actions):
        roles = [StaffRole.EDITOR.value, StaffRole.ADMINISTRATOR.value]
        return (
            get_user_model().objects.filter(Q(groups__name__in=roles) | Q(is_superuser=True), is_active=True).distinct()
        )


register_permission_policy(Topic, LibraryEditorsPolicy(Topic), exact_class=True)


class TopicViewSet(ModelViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Library topics")
    menu_order = 310
    add_to_admin_menu = True
    form_fields = ["name", "name_fr", "slug", "sort_order"]
    list_display = ["name", "name_fr", "slug", "sort_order"]
    search_fields = ["name", "name_fr"]
    copy_view_enabled = False

    @property
    def permission_policy(self):
        return LibraryEditorsPolicy(Topic)


topic_viewset = TopicViewSet("library_topics")
