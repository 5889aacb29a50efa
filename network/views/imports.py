"""Wagtail admin pages for importing existing members from a CSV file: upload, progress, preview, confirm.

Only membership officers and administrators reach them (network.permissions.can_import_members); everyone
else gets 403 before any import is looked up, so ids reveal nothing. The pages work without JavaScript:
the progress page reloads itself with a meta refresh while a task runs.
"""

import csv

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from network.choices import ImportState
from network.forms import MemberImportForm
from network.models import MemberImport
from network.permissions import can_import_members, check_can_import_members
from network.queries import list_member_imports
from network.services import imports as import_services

RUNNING_STATES = (ImportState.UPLOADED, ImportState.CHECKING, ImportState.IMPORTING)
URL_NAMESPACE = "member_imports"
REFRESH_SECONDS = 2

EXAMPLE_ROW = {
    "email": "jane.doe@example.org",
    "first_name": "Jane",
    "last_name": "Doe",
    "category": "active",
    "country": "KE",
    "police_service": "National Police Service",
    "rank": "Inspector",
    "languages": "en;sw",
    "membership_expires_on": "2027-12-31",
}


def url(name: str, *args) -> str:
    return reverse(f"{URL_NAMESPACE}:{name}", args=args)


class ImportStaffOnlyMixin:
    """Membership officers and administrators only; checked before anything is looked up."""

    def dispatch(self, request, *args, **kwargs):
        check_can_import_members(request.user)
        return super().dispatch(request, *args, **kwargs)


class ImportPageMixin(ImportStaffOnlyMixin, WagtailAdminTemplateMixin):
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": url("index"), "label": _("Member imports")},
            {"url": "", "label": self.get_page_title()},
        ]


class MemberImportObjectMixin:
    @cached_property
    def member_import(self) -> MemberImport:
        return get_object_or_404(MemberImport.objects.select_related("created_by"), pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return self.member_import.original_name


class MemberImportIndexView(ImportPageMixin, TemplateView):
    template_name = "network/admin/import_index.html"
    page_title = gettext_lazy("Member imports")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["imports"] = list_member_imports()
        return context


class MemberImportUploadView(ImportPageMixin, FormView):
    template_name = "network/admin/import_upload.html"
    page_title = gettext_lazy("Upload members")
    form_class = MemberImportForm

    def form_valid(self, form):
        try:
            member_import = import_services.start_member_import(form.cleaned_data["file"], actor=self.request.user)
        except import_services.ImportFileError as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The file was uploaded. Its rows are being checked."))
        return redirect(url("progress", member_import.pk))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            required_columns=import_services.REQUIRED_COLUMNS,
            optional_columns=import_services.OPTIONAL_COLUMNS,
            max_rows=import_services.MAX_ROWS,
        )
        return context


class MemberImportProgressView(ImportPageMixin, MemberImportObjectMixin, TemplateView):
    """Progress while a task runs (reloading itself), then the outcome; a checked file goes to its preview."""

    template_name = "network/admin/import_progress.html"
    page_title = gettext_lazy("Member import")

    def get(self, request, *args, **kwargs):
        if self.member_import.state == ImportState.CHECKED:
            return redirect(url("preview", self.member_import.pk))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        member_import = self.member_import
        context.update(
            member_import=member_import,
            running=member_import.state in RUNNING_STATES,
            refresh_seconds=REFRESH_SECONDS,
            errors=member_import.errors,
        )
        return context


class MemberImportPreviewView(ImportPageMixin, MemberImportObjectMixin, TemplateView):
    """The first rows as they would be imported and every error; confirming queues the import."""

    template_name = "network/admin/import_preview.html"
    page_title = gettext_lazy("Check and confirm the import")

    def get(self, request, *args, **kwargs):
        if self.member_import.state != ImportState.CHECKED:
            return redirect(url("progress", self.member_import.pk))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            member_import = import_services.confirm_member_import(self.member_import, actor=request.user)
        except import_services.ImportNotReady as error:
            messages.error(request, str(error))
            return redirect(url("progress", self.member_import.pk))
        messages.success(request, _("The import has started."))
        return redirect(url("progress", member_import.pk))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        member_import = self.member_import
        preview, ignored_columns, file_error = [], [], ""
        try:
            preview, parsed = import_services.preview_member_import(member_import)
            ignored_columns = parsed.ignored_columns
        except import_services.ImportFileError as error:
            file_error = str(error)
        errors = member_import.errors
        context.update(
            member_import=member_import,
            preview=preview,
            ignored_columns=ignored_columns,
            file_error=file_error,
            errors=errors,
            rows_with_errors=len({error["row"] for error in errors if error.get("row")}),
            can_confirm=not errors and not file_error,
        )
        return context


def import_template_csv(request):
    """A CSV file with the header and one example row, to fill in."""
    check_can_import_members(request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="member-import-template.csv"'
    writer = csv.DictWriter(response, fieldnames=import_services.IMPORT_COLUMNS)
    writer.writeheader()
    writer.writerow(EXAMPLE_ROW)
    return response


class MemberImportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_import_members(request.user)


class MemberImportViewSet(ViewSet):
    """The member import pages in the Wagtail admin, at /admin/member-imports/."""

    name = URL_NAMESPACE
    url_prefix = "member-imports"
    icon = "upload"
    menu_label = gettext_lazy("Member imports")
    add_to_admin_menu = True
    menu_item_class = MemberImportMenuItem

    def get_urlpatterns(self):
        return [
            path("", MemberImportIndexView.as_view(), name="index"),
            path("upload/", MemberImportUploadView.as_view(), name="upload"),
            path("template.csv", import_template_csv, name="template"),
            path("<int:pk>/", MemberImportProgressView.as_view(), name="progress"),
            path("<int:pk>/preview/", MemberImportPreviewView.as_view(), name="preview"),
        ]
