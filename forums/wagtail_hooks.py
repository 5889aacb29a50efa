"""The forums in the Wagtail admin: the forum viewset and the moderation queue."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from forums.permissions import can_moderate_any_forum
from forums.viewsets import ModerationQueueView, forum_viewset


@hooks.register("register_admin_viewset")
def register_forum_admin():
    return forum_viewset


class ModerationMenuItem(MenuItem):
    def is_shown(self, request):
        return can_moderate_any_forum(request.user)


@hooks.register("register_admin_urls")
def register_moderation_queue_url():
    return [path("forum-moderation/", ModerationQueueView.as_view(), name="forums_admin_moderation")]


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item():
    return ModerationMenuItem(_("Forum moderation"), reverse("forums_admin_moderation"), icon_name="warning", order=261)
