"""Trainings and events in the Wagtail admin: the sessions with their counts, and bulk attendance marking for
one session (the same service as the organisers' site page). Pages themselves are edited in the page tree."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from events import permissions, queries


class OrganisersOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not permissions.is_organiser(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SessionListView(OrganisersOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "events/admin/session_list.html"
    page_title = _("Sessions and attendance")
    header_icon = "date"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sessions": list(queries.organiser_sessions()[:200])}


class AttendanceView(OrganisersOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "events/admin/attendance.html"
    page_title = _("Attendance")
    header_icon = "date"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        session = queries.organiser_sessions().filter(pk=self.kwargs["pk"]).first()
        if session is None:
            raise Http404
        return {
            **super().get_context_data(**kwargs),
            "session": session,
            "registrations": list(queries.session_registrations(session)),
        }
