"""Wagtail admin for the membership staff: applications, the member list, the audit log, the dashboard panel.

Who may see what is decided by network/permissions.py; Wagtail is told through one permission policy per
model (only "view" is ever granted: every change goes through a service, never through a generic edit form).
"""

from datetime import timedelta

from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from django_countries import countries
from django_filters import CharFilter, ChoiceFilter, DateFromToRangeFilter
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from network import permissions, queries
from network.choices import ApplicationState, AuditAction, MemberCategory, StaffRole
from network.forms import CategoryChangeForm, DecisionReasonForm, RenewMembershipForm
from network.models import AuditEntry, Member, MembershipApplication, User
from network.services import applications as application_services
from network.services import membership as membership_services
from network.services.applications import ApplicationError
from network.services.membership import MembershipError

# --- permission policies --------------------------------------------------------------------------


class StaffRolePermissionPolicy(BasePermissionPolicy):
    """Grants the listed actions on a model to the users a permissions.py check admits, nothing else."""

    def __init__(self, model, *, check, roles: tuple[StaffRole, ...], actions=("view",)):
        super().__init__(model)
        self.check = check
        self.roles = roles
        self.actions = frozenset(actions)

    def user_has_permission(self, user, action):
        return action in self.actions and self.check(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if not self.actions.intersection(actions):
            return User.objects.none()
        in_role = Q(groups__name__in=[role.value for role in self.roles]) | Q(is_superuser=True)
        return User.objects.filter(in_role, is_active=True).distinct()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


APPLICATION_POLICY = StaffRolePermissionPolicy(
    MembershipApplication,
    check=permissions.can_review_applications,
    roles=(StaffRole.MEMBERSHIP_OFFICER, StaffRole.ADMINISTRATOR),
)
MEMBER_POLICY = StaffRolePermissionPolicy(
    Member,
    check=permissions.can_view_member_list,
    roles=(StaffRole.MEMBERSHIP_OFFICER, StaffRole.MODERATOR, StaffRole.ADMINISTRATOR),
)
AUDIT_POLICY = StaffRolePermissionPolicy(
    AuditEntry, check=permissions.can_view_audit_log, roles=(StaffRole.ADMINISTRATOR,)
)
for _policy in (APPLICATION_POLICY, MEMBER_POLICY, AUDIT_POLICY):
    register_permission_policy(_policy.model, _policy, exact_class=True)


class NoDjangoPermissionsMixin:
    def get_permissions_to_register(self):
        # Access comes from staff roles (see the policies above); Django model permissions would only confuse.
        from django.contrib.auth.models import Permission

        return Permission.objects.none()


def _country_choices():
    return list(countries)


def person_title_column(view: IndexView, *, label, user, **kwargs):
    """The linked first column of a listing: the person's name (or email when they gave none), sortable."""
    column_class = view._get_title_column_class(TitleColumn)
    return column_class(
        "name",
        label=label,
        accessor=lambda instance: user(instance).get_full_name() or user(instance).email,
        sort_key="user__last_name",
        get_url=lambda instance: view.get_edit_url(instance) or view.get_inspect_url(instance),
        **kwargs,
    )


# --- membership applications ----------------------------------------------------------------------


class ApplicationFilterSet(WagtailFilterSet):
    state = ChoiceFilter(
        label=_("State"), choices=ApplicationState.choices, widget=forms.RadioSelect, empty_label=_("All")
    )
    category = ChoiceFilter(
        label=_("Category"), choices=MemberCategory.choices, widget=forms.RadioSelect, empty_label=_("All")
    )
    country = ChoiceFilter(label=_("Country"), field_name="user__member__country", choices=_country_choices)
    waiting = ChoiceFilter(
        label=_("Waiting"),
        choices=[("7", _("More than 7 days")), ("30", _("More than 30 days"))],
        method="filter_waiting",
        widget=forms.RadioSelect,
        empty_label=_("Any time"),
    )
    submitted_at = DateFromToRangeFilter(label=_("Submitted"), widget=DateRangePickerWidget)

    class Meta:
        model = MembershipApplication
        fields: list[str] = []

    def filter_waiting(self, queryset, name, value):
        return queryset.filter(submitted_at__lt=timezone.now() - timedelta(days=int(value)))


class ApplicationIndexView(IndexView):
    def get_base_queryset(self):
        return queries.list_applications_for_review()

    @cached_property
    def columns(self):
        return [BulkActionsCheckboxColumn("bulk_actions", obj_type="application"), *super().columns]

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        return person_title_column(
            self,
            label=_("Applicant"),
            user=lambda application: application.user,
            get_title_id=lambda instance: f"application_{quote(instance.pk)}_title",
            **kwargs,
        )

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.is_open:
            for priority, (name, label) in enumerate(DECISIONS.items(), start=1):
                if name == "request_info" and instance.state == ApplicationState.MORE_INFO:
                    continue
                url = reverse(f"{APPLICATION_NAMESPACE}:{name}", args=(quote(instance.pk),))
                buttons.append(
                    MenuItem(label, url=url, icon_name="tick" if name == "approve" else "", priority=priority)
                )
        return buttons


DECISIONS = {
    "approve": _("Approve"),
    "reject": _("Reject"),
    "request_info": _("Request more information"),
}
APPLICATION_NAMESPACE = "membership_applications"


def decision_buttons(application) -> list[HeaderButton]:
    if not application.is_open:
        return []
    return [
        HeaderButton(label, url=reverse(f"{APPLICATION_NAMESPACE}:{name}", args=(quote(application.pk),)))
        for name, label in DECISIONS.items()
        if not (name == "request_info" and application.state == ApplicationState.MORE_INFO)
    ]


class ApplicationInspectView(InspectView):
    template_name = "network/admin/application_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(queries.list_applications_for_review(), pk=self.pk)

    @cached_property
    def header_buttons(self):
        return decision_buttons(self.object)


class ApplicationDecisionView(WagtailAdminTemplateMixin, FormView):
    """Approve, reject or ask for more information, with a reason the applicant reads."""

    template_name = "network/admin/application_decision.html"
    form_class = DecisionReasonForm
    header_icon = "user"
    decision = ""
    index_url_name = None
    inspect_url_name = None

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_review_applications(request.user):
            raise PermissionDenied
        self.object = get_object_or_404(queries.list_applications_for_review(), pk=kwargs["pk"])
        if not self.object.is_open or (
            self.decision == "request_info" and self.object.state == ApplicationState.MORE_INFO
        ):
            # An old link or a second officer: the decision form is not offered again (the service would refuse).
            messages.warning(
                request,
                _("This application has already been decided (%(state)s); nothing more can be done with it.")
                % {"state": self.object.get_state_display()}
                if not self.object.is_open
                else _("More information has already been requested for this application."),
            )
            return redirect(self.inspect_url_name, quote(self.object.pk))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "decision": self.decision}

    def get_page_title(self):
        return DECISIONS[self.decision]

    def get_page_subtitle(self):
        return str(self.object.user)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": capfirst(MembershipApplication._meta.verbose_name_plural)},
            {"url": reverse(self.inspect_url_name, args=(quote(self.object.pk),)), "label": str(self.object.user)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "application": self.object,
                "decision": self.decision,
                "inspect_url": reverse(self.inspect_url_name, args=(quote(self.object.pk),)),
            }
        )
        return context

    def form_valid(self, form):
        service = {
            "approve": application_services.approve_application,
            "reject": application_services.reject_application,
            "request_info": application_services.request_more_information,
        }[self.decision]
        try:
            service(self.object, actor=self.request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        done = {
            "approve": _("Application of %(name)s approved; the applicant has been told by email."),
            "reject": _("Application of %(name)s rejected; the applicant has been told by email."),
            "request_info": _("More information requested from %(name)s by email."),
        }[self.decision]
        messages.success(self.request, done % {"name": self.object.user})
        return redirect(self.index_url_name)


class MembershipApplicationViewSet(NoDjangoPermissionsMixin, ModelViewSet):
    model = MembershipApplication
    name = APPLICATION_NAMESPACE
    url_prefix = "membership/applications"
    icon = "form"
    menu_label = _("Applications")
    menu_order = 100
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = ApplicationIndexView
    inspect_view_class = ApplicationInspectView
    index_template_name = "network/admin/application_index.html"
    filterset_class = ApplicationFilterSet
    list_display = [
        "user",
        "category",
        "state",
        Column("country", label=_("Country"), accessor="user.member.country.name"),
        DateColumn("submitted_at", label=_("Submitted"), sort_key="submitted_at"),
    ]
    ordering = "submitted_at"
    list_per_page = 50
    inspect_view_fields = [
        "user",
        "category",
        "state",
        "submitted_at",
        "police_service",
        "rank",
        "mission",
        "mission_start_year",
        "mission_end_year",
        "organisation",
        "role",
        "nominator_name",
        "nomination_reason",
        "interest",
        "statement",
        "info_request",
        "decision_reason",
        "decided_by",
        "decided_at",
    ]
    form_fields = ["state"]  # never used: no user has "add" or "change" (see APPLICATION_POLICY)

    def get_urlpatterns(self):
        urlpatterns = super().get_urlpatterns()
        for decision in DECISIONS:
            view = ApplicationDecisionView.as_view(
                decision=decision,
                index_url_name=self.get_url_name("index"),
                inspect_url_name=self.get_url_name("inspect"),
            )
            urlpatterns.append(path(f"{decision.replace('_', '-')}/<int:pk>/", view, name=decision))
        return urlpatterns


class BulkApproveForm(DecisionReasonForm):
    """Approving needs no reason, in bulk as one by one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, decision="approve", **kwargs)


class BulkApproveApplications(BulkAction):
    display_name = _("Approve")
    action_type = "approve"
    aria_label = _("Approve the selected applications")
    template_name = "network/admin/application_bulk_approve.html"
    action_priority = 10
    models = [MembershipApplication]
    form_class = BulkApproveForm

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_review_applications(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @classmethod
    def get_queryset(cls, model, object_ids):
        return list(queries.list_applications_for_review().filter(pk__in=object_ids))

    def get_all_objects_in_listing_query(self, parent_id):
        # "Select all in listing" passes the listing's filters along: approve only what the officer saw listed.
        filters = ApplicationFilterSet(self.request.GET, queryset=MembershipApplication.objects.all())
        return filters.qs.values_list("pk", flat=True)

    def check_perm(self, obj):
        # Decided applications (and one's own) are listed as not actionable instead of failing the whole batch.
        return obj.is_open and obj.user_id != self.request.user.pk

    def get_execution_context(self):
        return {"actor": self.request.user, "reason": self.cleaned_form.cleaned_data["reason"]}

    @classmethod
    def execute_action(cls, objects, actor=None, reason="", **kwargs):
        approved, _skipped = application_services.approve_applications(objects, actor=actor, reason=reason)
        return approved, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return _("%(count)s applications approved; the applicants have been told by email.") % {
            "count": num_parent_objects
        }


# --- members ----------------------------------------------------------------------------------------

EXPIRY_STATES = [
    ("expired", _("Expired")),
    ("30", _("Expires within 30 days")),
    ("current", _("Current")),
    ("none", _("No expiry date")),
]


class MemberFilterSet(WagtailFilterSet):
    category = ChoiceFilter(
        label=_("Category"),
        choices=[*MemberCategory.choices, ("none", _("Not admitted yet"))],
        method="filter_category",
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )
    country = ChoiceFilter(label=_("Country"), choices=_country_choices)
    expiry = ChoiceFilter(
        label=_("Membership"),
        choices=EXPIRY_STATES,
        method="filter_expiry",
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )
    membership_expires_on = DateFromToRangeFilter(label=_("Expires between"), widget=DateRangePickerWidget)

    class Meta:
        model = Member
        fields: list[str] = []

    def filter_category(self, queryset, name, value):
        return queryset.filter(category="" if value == "none" else value)

    def filter_expiry(self, queryset, name, value):
        today = timezone.localdate()
        if value == "expired":
            return queryset.filter(membership_expires_on__lt=today)
        if value == "30":
            return queryset.filter(
                membership_expires_on__gte=today, membership_expires_on__lte=today + timedelta(days=30)
            )
        if value == "current":
            return queryset.filter(Q(membership_expires_on__isnull=True) | Q(membership_expires_on__gte=today))
        return queryset.filter(membership_expires_on__isnull=True)


class MemberIndexView(IndexView):
    def get_base_queryset(self):
        return queries.list_members_for_staff()

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        return person_title_column(self, label=_("Member"), user=lambda member: member.user, **kwargs)


MEMBER_NAMESPACE = "membership_members"


def category_or_staff_role(member: Member) -> str:
    """What the member list says a person is: her category, her staff roles, or that she is not admitted yet.

    Staff accounts have a profile but usually no category; listed as blank "members" they looked like
    applicants nobody had dealt with."""
    parts = [str(member.get_category_display())] if member.category else []
    roles = [str(StaffRole(group.name).label) for group in member.user.groups.all() if group.name in StaffRole.values]
    if member.user.is_superuser and not roles:
        roles = [str(StaffRole.ADMINISTRATOR.label)]
    if roles:
        parts.append(_("Staff: %(roles)s") % {"roles": ", ".join(roles)})
    return " · ".join(parts) or str(_("Not admitted yet"))


class MemberInspectView(InspectView):
    template_name = "network/admin/member_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(queries.list_members_for_staff(), pk=self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category_changes"] = self.object.category_changes.select_related("actor")[:50]
        return context

    @cached_property
    def header_buttons(self):
        if not permissions.can_review_applications(self.request.user):
            return []
        buttons = [
            HeaderButton(
                _("Change category"),
                url=reverse(f"{MEMBER_NAMESPACE}:change_category", args=(quote(self.object.pk),)),
            )
        ]
        if self.object.category:
            buttons.append(
                HeaderButton(
                    _("Renew membership"), url=reverse(f"{MEMBER_NAMESPACE}:renew", args=(quote(self.object.pk),))
                )
            )
        return buttons


class MemberActionView(WagtailAdminTemplateMixin, FormView):
    """Base of the officers' member actions: permission check, the member, breadcrumbs, a form."""

    template_name = "network/admin/member_action.html"
    header_icon = "user"
    index_url_name = None
    inspect_url_name = None

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_review_applications(request.user):
            raise PermissionDenied
        self.object = get_object_or_404(queries.list_members_for_staff(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.object)

    @cached_property
    def inspect_url(self):
        return reverse(self.inspect_url_name, args=(quote(self.object.pk),))

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": capfirst(Member._meta.verbose_name_plural)},
            {"url": self.inspect_url, "label": str(self.object)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "member": self.object, "inspect_url": self.inspect_url}


class ChangeCategoryView(MemberActionView):
    page_title = _("Change category")
    form_class = CategoryChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "current_category": self.object.category}

    def form_valid(self, form):
        try:
            membership_services.change_member_category(
                self.object, form.cleaned_data["category"], actor=self.request.user, reason=form.cleaned_data["reason"]
            )
        except MembershipError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s is now in the category %(category)s.")
            % {"name": self.object, "category": self.object.get_category_display()},
        )
        return redirect(self.inspect_url)


class RenewMembershipView(MemberActionView):
    page_title = _("Renew membership")
    form_class = RenewMembershipForm

    def get_initial(self):
        return {"until": membership_services.default_renewal_date(self.object)}

    def form_valid(self, form):
        try:
            membership_services.renew_membership(
                self.object,
                actor=self.request.user,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
            )
        except MembershipError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The membership of %(name)s has been renewed.") % {"name": self.object})
        return redirect(self.inspect_url)


class MemberViewSet(NoDjangoPermissionsMixin, ModelViewSet):
    model = Member
    name = MEMBER_NAMESPACE
    url_prefix = "membership/members"
    icon = "group"
    menu_label = _("Members")
    menu_order = 110
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = MemberIndexView
    inspect_view_class = MemberInspectView
    filterset_class = MemberFilterSet
    search_fields = ["user__first_name", "user__last_name", "user__email"]
    search_backend_name = None
    list_display = [
        "user",
        Column("email", label=_("Email"), accessor="user.email"),
        Column("category", label=_("Category or role"), accessor=category_or_staff_role, sort_key="category"),
        Column("country", label=_("Country"), accessor="country.name"),
        Column(
            "membership_expires_on",
            label=_("Expires"),
            accessor=lambda member: date_format(member.membership_expires_on) if member.membership_expires_on else "",
            sort_key="membership_expires_on",
        ),
    ]
    list_per_page = 50
    ordering = "user__last_name"
    list_export = [
        "user.first_name",
        "user.last_name",
        "user.email",
        "get_category_display",
        "country.name",
        "police_service",
        "rank",
        "membership_expires_on",
        "created_at",
    ]
    export_headings = {
        "user.first_name": _("First name"),
        "user.last_name": _("Last name"),
        "user.email": _("Email"),
        "get_category_display": _("Category"),
        "country.name": _("Country"),
        "police_service": _("Police service or employer"),
        "rank": _("Rank or title"),
        "membership_expires_on": _("Membership expires on"),
        "created_at": _("Account created"),
    }
    export_filename = "members"
    inspect_view_fields = [
        "user",
        "category",
        "country",
        "police_service",
        "rank",
        "membership_expires_on",
        "created_at",
    ]
    form_fields = ["category"]  # never used: no user has "add" or "change" (see MEMBER_POLICY)

    def get_urlpatterns(self):
        common = {"index_url_name": self.get_url_name("index"), "inspect_url_name": self.get_url_name("inspect")}
        return [
            *super().get_urlpatterns(),
            path("change-category/<int:pk>/", ChangeCategoryView.as_view(**common), name="change_category"),
            path("renew/<int:pk>/", RenewMembershipView.as_view(**common), name="renew"),
        ]


# --- audit log --------------------------------------------------------------------------------------


class AuditFilterSet(WagtailFilterSet):
    action = ChoiceFilter(label=_("What"), choices=AuditAction.choices)
    actor = CharFilter(label=_("Who (email, or “system”)"), field_name="actor_label", lookup_expr="icontains")
    created_at = DateFromToRangeFilter(label=_("When"), widget=DateRangePickerWidget)

    class Meta:
        model = AuditEntry
        fields: list[str] = []


class AuditInspectView(InspectView):
    def get_details_display_value(self):
        return ", ".join(f"{key}: {value}" for key, value in self.object.details.items()) or "—"


class AuditLogViewSet(NoDjangoPermissionsMixin, ModelViewSet):
    """The append-only audit log: list, filter, inspect and export; there is no way to change an entry."""

    model = AuditEntry
    name = "membership_audit"
    url_prefix = "membership/audit"
    icon = "history"
    menu_label = _("Audit log")
    menu_order = 120
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = AuditInspectView
    filterset_class = AuditFilterSet
    list_display = [
        "action",
        "actor_label",
        "subject_label",
        "reason",
        DateColumn("created_at", label=_("When"), sort_key="created_at"),
    ]
    ordering = "-created_at"
    list_per_page = 50
    list_export = [
        "created_at",
        "actor_label",
        "action",
        "get_action_display",
        "subject_label",
        "object_type",
        "object_id",
        "reason",
        "details",
    ]
    export_headings = {
        "created_at": _("When"),
        "actor_label": _("Who"),
        "action": _("Action code"),
        "get_action_display": _("What"),
        "subject_label": _("Concerning"),
        "object_type": _("Object type"),
        "object_id": _("Object id"),
        "reason": _("Why"),
        "details": _("Details"),
    }
    export_filename = "audit-log"
    inspect_view_fields = [
        "created_at",
        "actor_label",
        "action",
        "subject_label",
        "object_type",
        "object_id",
        "reason",
        "details",
    ]
    form_fields = ["reason"]  # never used: no user has "add" or "change" (see AUDIT_POLICY)


class MembershipAdminGroup(ModelViewSetGroup):
    menu_label = _("Membership")
    menu_icon = "group"
    menu_order = 250
    items = (MembershipApplicationViewSet, MemberViewSet, AuditLogViewSet)


# --- dashboard ----------------------------------------------------------------------------------------


class PendingMembershipWorkPanel(Component):
    """What waits for this staff member: applications (officers) and community access requests (moderators)."""

    name = "pending_membership_work"
    order = 50
    template_name = "network/admin/pending_panel.html"

    def __init__(self, items: list[dict]):
        self.items = items

    def get_context_data(self, parent_context):
        return {"items": self.items}
