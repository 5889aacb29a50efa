"""Mentoring programmes in the Wagtail admin: coordinators (and administrators) create and edit programmes —
enrolment window, matching mode, answer deadline, duration, weights, rules and coordinators. Wagtail's
history records each change; services.programme_saved audits it and renews the matching token.

Only mentoring.permissions.can_coordinate opens it: the permission policy below answers for every action,
instead of Django model permissions."""

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views.generic.models import CreateView, EditView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from mentoring import permissions, services
from mentoring.models import Programme


class CoordinatorsPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        return permissions.can_coordinate(user)

    def user_has_any_permission(self, user, actions):
        return permissions.can_coordinate(user)

    def users_with_any_permission(self, actions):
        return permissions.users_who_may_coordinate()


register_permission_policy(Programme, CoordinatorsPolicy(Programme), exact_class=True)


class CoordinatorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return f"{user.get_full_name() or user.email} <{user.email}>"


class ProgrammeForm(WagtailAdminModelForm):
    """The programme's settings; coordinators are chosen among the holders of the coordinator role."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "coordinators" in self.fields:
            field = self.fields["coordinators"]
            self.fields["coordinators"] = CoordinatorChoiceField(
                queryset=permissions.coordinator_candidates(),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                label=field.label,
                help_text=field.help_text,
            )

    def clean(self):
        data = super().clean()
        opens, closes = data.get("enrolment_opens_on"), data.get("enrolment_closes_on")
        if opens and closes and closes < opens:
            self.add_error("enrolment_closes_on", _("Enrolment cannot close before it opens."))
        if not data.get("is_evergreen") and not opens and not closes:
            self.add_error(
                "enrolment_opens_on",
                _("Give the enrolment window, or tick “evergreen” for a programme that is always open."),
            )
        return data


class _SavedThroughService:
    """The admin's save, then services.programme_saved (audit, matching token), in one transaction."""

    creates = False

    def save_instance(self):
        with transaction.atomic():
            instance = super().save_instance()
            services.programme_saved(instance, actor=self.request.user, created=self.creates)
        return instance


class ProgrammeCreateView(_SavedThroughService, CreateView):
    creates = True


class ProgrammeEditView(_SavedThroughService, EditView):
    pass


class ProgrammeViewSet(ModelViewSet):
    model = Programme
    icon = "group"
    menu_label = gettext_lazy("Mentoring programmes")
    menu_order = 320
    add_to_admin_menu = True
    add_view_class = ProgrammeCreateView
    edit_view_class = ProgrammeEditView
    list_display = ["title", "matching_mode", "is_evergreen", "enrolment_opens_on", "enrolment_closes_on"]
    list_filter = ["matching_mode", "is_evergreen"]
    search_fields = ["title", "description"]
    inspect_view_enabled = False
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("slug"),
            FieldPanel("description"),
            MultiFieldPanel(
                [
                    FieldPanel("is_evergreen"),
                    FieldRowPanel([FieldPanel("enrolment_opens_on"), FieldPanel("enrolment_closes_on")]),
                ],
                heading=gettext_lazy("Enrolment"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("matching_mode"),
                    FieldRowPanel([FieldPanel("accept_deadline_days"), FieldPanel("expected_duration_months")]),
                ],
                heading=gettext_lazy("Matching and duration"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("weight_topic"),
                    FieldPanel("weight_availability"),
                    FieldPanel("weight_experience"),
                    FieldPanel("weight_seniority"),
                    FieldPanel("weight_preferences"),
                ],
                heading=gettext_lazy("Weights of the score"),
                help_text=gettext_lazy("“Must”: a pair scoring zero on this component is never proposed."),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("min_overlap_hours"),
                    FieldPanel("min_proficiency"),
                    FieldPanel("exclude_same_contingent"),
                    FieldPanel("sensitive_topics", widget=forms.CheckboxSelectMultiple),
                ],
                heading=gettext_lazy("Hard constraints"),
            ),
            FieldPanel("coordinators"),
        ],
        base_form_class=ProgrammeForm,
    )

    @property
    def permission_policy(self):
        return CoordinatorsPolicy(Programme)


programme_viewset = ProgrammeViewSet("mentoring_programmes")
