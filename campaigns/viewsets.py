"""Wagtail admin for campaigns: campaigns, targets, recorded values (entered or imported from CSV) and the
statistic series snippet.

Only editors and administrators (campaigns.permissions.can_manage_campaigns) see or change any of it: the
permission policies below answer for every action on these models, instead of Django model permissions.
Importing this module registers those policies, so campaigns/wagtail_hooks.py imports it when Wagtail loads
the hooks, before anything asks for them.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import CreateView, IndexView
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet

from campaigns import metrics
from campaigns import services as campaign_services
from campaigns.choices import MetricSource, TargetUnit
from campaigns.models import Campaign, RecordedValue, StatisticSeries, Target
from campaigns.permissions import CAMPAIGN_EDITOR_ROLES, can_manage_campaigns, check_can_manage_campaigns

IMPORT_NAMESPACE = "network_recorded_value_import"


# --- who may edit ------------------------------------------------------------------------------------------


class CampaignEditorsPolicy(BasePermissionPolicy):
    """Every action on the model for editors and administrators (and superusers); nothing for anyone else."""

    def user_has_permission(self, user, action):
        return can_manage_campaigns(user)

    def user_has_any_permission(self, user, actions):
        return can_manage_campaigns(user)

    def users_with_any_permission(self, actions):
        roles = [role.value for role in CAMPAIGN_EDITOR_ROLES]
        return (
            get_user_model().objects.filter(Q(groups__name__in=roles) | Q(is_superuser=True), is_active=True).distinct()
        )


for _model in (Campaign, Target, RecordedValue, StatisticSeries):
    register_permission_policy(_model, CampaignEditorsPolicy(_model), exact_class=True)


# --- forms -------------------------------------------------------------------------------------------------


class CampaignForm(WagtailAdminModelForm):
    class Meta:
        model = Campaign
        fields = ["title", "title_fr", "slug", "summary", "summary_fr", "start_date", "deadline", "visibility"]
        error_messages = {
            "start_date": {"required": gettext_lazy("Give the campaign a start date.")},
            "deadline": {"required": gettext_lazy("Give the campaign a deadline: progress is projected to it.")},
        }

    def clean(self):
        cleaned = super().clean()
        start, deadline = cleaned.get("start_date"), cleaned.get("deadline")
        if start and deadline and deadline <= start:
            self.add_error("deadline", _("The deadline must be after the start date."))
        return cleaned


class TargetForm(WagtailAdminModelForm):
    metric = forms.ChoiceField(
        label=gettext_lazy("Computed metric"),
        required=False,
        help_text=gettext_lazy("For a target computed from platform data: what is counted."),
    )

    class Meta:
        model = Target
        fields = [
            "campaign",
            "title",
            "title_fr",
            "source",
            "metric",
            "statistic_series",
            "target_value",
            "baseline",
            "unit",
            "sort_order",
        ]
        error_messages = {
            "target_value": {
                "invalid": gettext_lazy("Enter the target as a number, e.g. 2014."),
                "min_value": gettext_lazy("The target cannot be negative."),
            },
            "baseline": {"invalid": gettext_lazy("Enter the baseline as a number, e.g. 0.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", "---------"), *metrics.metric_choices()]

    def clean(self):
        cleaned = super().clean()
        source = cleaned.get("source")
        if source == MetricSource.COMPUTED and not cleaned.get("metric"):
            self.add_error("metric", _("Choose the metric this target is computed from."))
        if source == MetricSource.STATISTIC and not cleaned.get("statistic_series"):
            self.add_error("statistic_series", _("Choose the statistic series this target follows."))
        if source != MetricSource.COMPUTED:
            cleaned["metric"] = ""
        if source != MetricSource.STATISTIC:
            cleaned["statistic_series"] = None
        target, baseline = cleaned.get("target_value"), cleaned.get("baseline")
        if target is not None and baseline is not None and target == baseline:
            self.add_error("target_value", _("The target must differ from the baseline."))
        if cleaned.get("unit") == TargetUnit.PERCENT:
            for name in ("target_value", "baseline"):
                value = cleaned.get(name)
                if value is not None and not 0 <= value <= 100:
                    self.add_error(name, _("A percentage lies between 0 and 100."))
        return cleaned


class RecordedValueForm(WagtailAdminModelForm):
    class Meta:
        model = RecordedValue
        fields = ["target", "date", "value", "note"]
        error_messages = {
            "value": {
                "invalid": gettext_lazy("Enter the value as a number (digits, with a dot for decimals), e.g. 1234."),
                "min_value": gettext_lazy("The value cannot be negative."),
                "required": gettext_lazy("Enter the value."),
            },
            "date": {"invalid": gettext_lazy("Enter the date as YYYY-MM-DD.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Target.objects.filter(source=MetricSource.RECORDED).select_related("campaign")

    def clean_date(self):
        from django.utils import timezone

        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return day

    def validate_unique(self):
        try:
            self.instance.validate_unique(exclude=self._get_validation_exclusions())
            self.instance.validate_constraints()
        except ValidationError:
            self.add_error(
                "date", _("A value is already recorded for this target on this date: edit that one instead.")
            )


class StatisticSeriesForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        points = self.formsets.get("points")
        if points is None or not points.is_bound:
            return cleaned
        points.is_valid()  # cleans the rows, so their values can be checked here
        seen: set[int] = set()
        for form in points.forms:
            if form.data.get(form.add_prefix("DELETE")):
                continue
            # Read the year as typed: the formset's own duplicate check removes it from cleaned_data.
            try:
                year = int(form.data.get(form.add_prefix("year"), ""))
            except ValueError:
                continue
            if year in seen:
                form.add_error(None, _("The year %(year)s is given twice.") % {"year": year})
            seen.add(year)
            if not 1900 <= year <= 2100:
                form.add_error("year", _("Enter a year between 1900 and 2100."))
            value = getattr(form, "cleaned_data", {}).get("value")
            if value is not None and value < 0:
                form.add_error("value", _("The value cannot be negative."))
            if value is not None and cleaned.get("unit") == TargetUnit.PERCENT and value > 100:
                form.add_error("value", _("A percentage lies between 0 and 100."))
        return cleaned


# --- campaign edit page: its targets -----------------------------------------------------------------------


class CampaignTargetsPanel(Panel):
    """The campaign's targets with links to edit them and to add one (targets are edited on their own page)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "campaigns/admin/targets_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            campaign = self.instance
            context["targets"] = list(campaign.targets.order_by("sort_order", "pk")) if campaign.pk else []
            context["campaign"] = campaign
            context["add_url"] = f"{reverse('network_target:add')}?campaign={campaign.pk}" if campaign.pk else ""
            return context


# --- viewsets ----------------------------------------------------------------------------------------------


class CampaignViewSet(ModelViewSet):
    model = Campaign
    name = "network_campaign"
    url_prefix = "campaigns"
    icon = "time"
    menu_label = gettext_lazy("Campaigns")
    list_display = ["title", "start_date", "deadline", "visibility"]
    list_filter = ["visibility"]
    search_fields = ["title", "summary"]
    inspect_view_enabled = False
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("title"), FieldPanel("title_fr")]),
            FieldPanel("slug"),
            FieldRowPanel([FieldPanel("summary"), FieldPanel("summary_fr")]),
            FieldRowPanel([FieldPanel("start_date"), FieldPanel("deadline")]),
            FieldPanel("visibility"),
            CampaignTargetsPanel(heading=gettext_lazy("Targets")),
        ],
        base_form_class=CampaignForm,
    )


class TargetCreateView(CreateView):
    def get_initial(self):
        initial = super().get_initial()
        campaign = self.request.GET.get("campaign", "")
        if campaign.isdigit():
            initial["campaign"] = campaign
        return initial


class TargetViewSet(ModelViewSet):
    model = Target
    name = "network_target"
    url_prefix = "campaign-targets"
    icon = "crosshairs"
    menu_label = gettext_lazy("Targets")
    add_view_class = TargetCreateView
    list_display = ["title", "campaign", "source", "target_value", "unit"]
    list_filter = ["campaign", "source"]
    search_fields = ["title"]
    inspect_view_enabled = False
    copy_view_enabled = False
    sort_order_field = None
    edit_handler = ObjectList(
        [
            FieldPanel("campaign"),
            FieldRowPanel([FieldPanel("title"), FieldPanel("title_fr")]),
            MultiFieldPanel(
                [FieldPanel("source"), FieldPanel("metric"), FieldPanel("statistic_series")],
                heading=gettext_lazy("Where the values come from"),
                help_text=gettext_lazy(
                    "Computed: counted from the platform every hour. Recorded: dated values you enter or import "
                    "under Recorded values. Statistic series: yearly figures edited under Snippets."
                ),
            ),
            FieldRowPanel([FieldPanel("target_value"), FieldPanel("baseline"), FieldPanel("unit")]),
            FieldPanel("sort_order"),
        ],
        base_form_class=TargetForm,
    )

    def get_queryset(self, request):
        return Target.objects.select_related("campaign")


class RecordedValueIndexView(IndexView):
    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        buttons.append(
            HeaderButton(_("Import from CSV"), url=reverse(f"{IMPORT_NAMESPACE}:import"), icon_name="upload")
        )
        return buttons


class RecordedValueViewSet(ModelViewSet):
    model = RecordedValue
    name = "network_recorded_value"
    url_prefix = "recorded-values"
    icon = "list-ol"
    menu_label = gettext_lazy("Recorded values")
    index_view_class = RecordedValueIndexView
    list_display = ["target", "date", Column("value", label=gettext_lazy("value")), "note"]
    list_filter = ["target"]
    ordering = ["target", "-date"]
    inspect_view_enabled = False
    copy_view_enabled = False
    edit_handler = ObjectList(
        [FieldPanel("target"), FieldRowPanel([FieldPanel("date"), FieldPanel("value")]), FieldPanel("note")],
        base_form_class=RecordedValueForm,
    )

    def get_queryset(self, request):
        return RecordedValue.objects.select_related("target__campaign")


# --- CSV import of recorded values -------------------------------------------------------------------------


class RecordedValuesImportForm(forms.Form):
    target = forms.ModelChoiceField(
        label=gettext_lazy("Target"),
        queryset=Target.objects.filter(source=MetricSource.RECORDED).select_related("campaign"),
        empty_label=None,
        error_messages={"required": gettext_lazy("Choose the target the values belong to.")},
    )
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("Columns: date (YYYY-MM-DD), value (e.g. 1234 or 12.5), note (optional). At most 1 MB."),
        error_messages={"required": gettext_lazy("Choose a CSV file to import.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 1024 * 1024:
            raise ValidationError(_("The file is larger than 1 MB: split it into smaller files."))
        return upload


class RecordedValuesImportView(WagtailAdminTemplateMixin, FormView):
    """Upload a CSV of dated values: every row is checked first; any bad row and nothing is imported."""

    template_name = "campaigns/admin/import_recorded_values.html"
    form_class = RecordedValuesImportForm
    page_title = gettext_lazy("Import recorded values")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        check_can_manage_campaigns(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("network_recorded_value:index"), "label": _("Recorded values")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_initial(self):
        target = self.request.GET.get("target", "")
        return {"target": target} if target.isdigit() else {}

    def form_valid(self, form):
        target = form.cleaned_data["target"]
        parsed = campaign_services.parse_recorded_values_csv(form.cleaned_data["file"].read())
        if parsed.errors:
            messages.error(
                self.request, _("Nothing was imported: please correct the rows below and upload the file again.")
            )
            return self.render_to_response(self.get_context_data(form=form, row_errors=parsed.errors))
        created, updated = campaign_services.import_recorded_values(target, parsed.rows, actor=self.request.user)
        messages.success(
            self.request,
            _("%(created)s values added and %(updated)s replaced for “%(target)s”.")
            % {"created": created, "updated": updated, "target": target},
        )
        return redirect(f"{reverse('network_recorded_value:index')}?target={target.pk}")


class CampaignEditorsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_campaigns(request.user)


class RecordedValuesImportViewSet(ViewSet):
    name = IMPORT_NAMESPACE
    url_prefix = "recorded-values-import"
    icon = "upload"
    menu_label = gettext_lazy("Import recorded values")
    menu_item_class = CampaignEditorsMenuItem

    def get_urlpatterns(self):
        return [path("", RecordedValuesImportView.as_view(), name="import")]


class CampaignAdminGroup(ViewSetGroup):
    menu_label = gettext_lazy("Campaigns")
    menu_icon = "time"
    menu_order = 250
    items = (CampaignViewSet, TargetViewSet, RecordedValueViewSet, RecordedValuesImportViewSet)


# --- the statistic series snippet --------------------------------------------------------------------------


class StatisticSeriesViewSet(SnippetViewSet):
    model = StatisticSeries
    icon = "table"
    menu_label = gettext_lazy("Statistic series")
    list_display = ["title", "unit", "source"]
    search_fields = ["title"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("title"), FieldPanel("title_fr")]),
            FieldRowPanel([FieldPanel("source"), FieldPanel("source_fr")]),
            FieldPanel("unit"),
            InlinePanel("points", heading=gettext_lazy("Values by year"), label=gettext_lazy("Year"), min_num=0),
        ],
        base_form_class=StatisticSeriesForm,
    )
