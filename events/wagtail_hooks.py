"""Trainings and events in the Wagtail admin: a menu item for organisers, the session list and attendance."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from events.permissions import is_organiser
from events.viewsets import AttendanceView, SessionListView


class OrganisersMenuItem(MenuItem):
    def is_shown(self, request):
        return is_organiser(request.user)


@hooks.register("register_admin_urls")
def register_event_admin_urls():
    return [
        path("event-sessions/", SessionListView.as_view(), name="events_admin_sessions"),
        path("event-sessions/<int:pk>/attendance/", AttendanceView.as_view(), name="events_admin_attendance"),
    ]


@hooks.register("register_admin_menu_item")
def register_event_menu_item():
    return OrganisersMenuItem(
        _("Sessions and attendance"), reverse("events_admin_sessions"), icon_name="date", order=270
    )
