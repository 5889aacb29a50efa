"""Wagtail admin pages where community moderators decide on Community of Practice access.

Only moderators (and superusers) reach them: everyone else gets 403 before any request is looked up. The
pages work without JavaScript: one plain form per decision.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from network.choices import CommunityAccessState
from network.forms import CommunityDecisionForm
from network.models import CommunityAccessRequest, CommunityEndorsement
from network.permissions import can_moderate_community, check_can_moderate_community
from network.services import community

URL_NAMESPACE = "community_access"

DECISIONS = {
    "approve": lambda access, actor, data: community.approve_community_request(
        access, actor=actor, reason=data["reason"], review_on=data["review_on"]
    ),
    "decline": lambda access, actor, data: community.decline_community_request(
        access, actor=actor, reason=data["reason"]
    ),
    "renew": lambda access, actor, data: community.renew_community_access(
        access, actor=actor, review_on=data["review_on"], reason=data["reason"]
    ),
    "revoke": lambda access, actor, data: community.revoke_community_access(access, actor=actor, reason=data["reason"]),
}
# Which decisions each state allows; the services check again under a row lock.
ACTIONS_BY_STATE = {
    CommunityAccessState.PENDING: ("approve", "decline"),
    CommunityAccessState.APPROVED: ("renew", "revoke"),
}
DONE_MESSAGES = {
    "approve": gettext_lazy("Access granted to %(name)s; they have been told by email."),
    "decline": gettext_lazy("The request of %(name)s has been declined; they have been told by email."),
    "renew": gettext_lazy("The access of %(name)s has been renewed; they have been told by email."),
    "revoke": gettext_lazy("The access of %(name)s has been revoked; they have been told by email."),
}


def url(name: str, *args) -> str:
    return reverse(f"{URL_NAMESPACE}:{name}", args=args)


class ModeratorPageMixin(WagtailAdminTemplateMixin):
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        check_can_moderate_community(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": url("index"), "label": _("Community access")},
        ]


class CommunityRequestIndexView(ModeratorPageMixin, TemplateView):
    template_name = "network/admin/community_request_index.html"
    page_title = gettext_lazy("Community of Practice access")

    def get_breadcrumbs_items(self):
        return [*WagtailAdminTemplateMixin.get_breadcrumbs_items(self), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        state = self.request.GET.get("state", CommunityAccessState.PENDING)
        if state not in CommunityAccessState.values:
            state = CommunityAccessState.PENDING
        requests = (
            CommunityAccessRequest.objects.filter(state=state)
            .select_related("member__user", "decided_by")
            .annotate(endorsement_count=Count("endorsements"))
            .order_by("review_on" if state == CommunityAccessState.APPROVED else "created_at", "pk")
        )
        context.update(
            state=state,
            states=CommunityAccessState.choices,
            page=Paginator(requests, 50).get_page(self.request.GET.get("page")),
        )
        return context


class CommunityRequestDecisionView(ModeratorPageMixin, TemplateView):
    template_name = "network/admin/community_request_decide.html"
    page_title = gettext_lazy("Community access request")

    @cached_property
    def access_request(self) -> CommunityAccessRequest:
        return get_object_or_404(
            CommunityAccessRequest.objects.select_related("member__user", "decided_by").prefetch_related(
                Prefetch(
                    "endorsements",
                    queryset=CommunityEndorsement.objects.select_related("endorser__user").order_by("created_at"),
                )
            ),
            pk=self.kwargs["pk"],
        )

    def get_page_subtitle(self):
        return self.access_request.member.display_name

    def post(self, request, *args, **kwargs):
        posted_action = request.POST.get("action")
        form = CommunityDecisionForm(request.POST, auto_id=f"{posted_action if posted_action in DECISIONS else 'x'}_%s")
        allowed = ACTIONS_BY_STATE.get(self.access_request.state, ())
        if form.is_valid() and form.cleaned_data["action"] not in allowed:
            # A forged action, or another moderator decided in the meantime.
            form.add_error(None, _("This decision is not possible in the request's current state."))
        if form.is_valid():
            action = form.cleaned_data["action"]
            try:
                DECISIONS[action](self.access_request, request.user, form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
                self.__dict__.pop("access_request", None)  # show the request as it is now
            else:
                messages.success(request, DONE_MESSAGES[action] % {"name": self.access_request.member.display_name})
                return redirect(url("index"))
        return self.render_to_response(self.get_context_data(failed_form=form))

    def get_context_data(self, failed_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        forms = {}
        for action in ACTIONS_BY_STATE.get(self.access_request.state, ()):
            if failed_form is not None and failed_form.data.get("action") == action:
                forms[action] = failed_form
            else:
                forms[action] = CommunityDecisionForm(
                    initial={"action": action, "review_on": self.access_request.review_on}, auto_id=f"{action}_%s"
                )
        context.update(
            access_request=self.access_request,
            forms=forms,
            action_labels=CommunityDecisionForm.ACTIONS,
            failed_form=failed_form,
            own_request=self.access_request.member.user_id == self.request.user.pk,
        )
        return context


class CommunityAccessMenuItem(MenuItem):
    def is_shown(self, request):
        return can_moderate_community(request.user)


class CommunityAccessViewSet(ViewSet):
    """Community of Practice access requests in the Wagtail admin, at /admin/community-access/."""

    name = URL_NAMESPACE
    # Lets the dashboard panel (network/views/membership_admin.py) find this index.
    model = CommunityAccessRequest
    url_prefix = "community-access"
    icon = "group"
    menu_label = gettext_lazy("Community access")
    add_to_admin_menu = True
    menu_item_class = CommunityAccessMenuItem

    def get_urlpatterns(self):
        return [
            path("", CommunityRequestIndexView.as_view(), name="index"),
            path("<int:pk>/", CommunityRequestDecisionView.as_view(), name="decide"),
        ]
