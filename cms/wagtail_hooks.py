import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import LiveStatusTagColumn
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.access import effective_access_level
from cms.models import FeaturedMember
from network.choices import AccessLevel
from network.page_cache import mark_cacheable
from network.permissions import CONTENT_EDITOR_ROLES, can_nominate_for_spotlight, has_access_level


@hooks.register("before_serve_page")
def enforce_access_level(page, request, serve_args, serve_kwargs):
    """A page above the visitor's access level: sign in first, or a 403 page explaining who may read it."""
    required = effective_access_level(page)
    request.page_access_level = required
    if has_access_level(request.user, required):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return TemplateResponse(
        request, "cms/access_denied.html", {"page": page, "required_level": required.label}, status=403
    )


@hooks.register("before_serve_page")
def allow_anonymous_page_cache(page, request, serve_args, serve_kwargs):
    # Only pages that look the same to every visitor: no preview, no view restriction (a visitor who
    # entered a page password must not hand the page to the next one), no members-only access level,
    # no per-visitor content.
    level = getattr(request, "page_access_level", None)
    if level is None:
        level = effective_access_level(page)
    if (
        getattr(page.specific_class, "cache_anonymous", True)
        and level == AccessLevel.PUBLIC
        and not getattr(request, "is_preview", False)
        and not page.get_view_restrictions().exists()
    ):
        mark_cacheable(request)


class FeaturedMemberEditorsPolicy(ModelPermissionPolicy):
    """Editors, who nominate campaign contributors for the spotlight, also review, publish and unpublish the
    featured members; anyone else needs Wagtail's model permissions (superusers hold them all)."""

    def user_has_permission(self, user, action):
        return can_nominate_for_spotlight(user) or super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return can_nominate_for_spotlight(user) or super().user_has_any_permission(user, actions)

    def users_with_any_permission(self, actions):
        # can_nominate_for_spotlight: the campaign editors' roles.
        roles = [role.value for role in CONTENT_EDITOR_ROLES]
        holders = super().users_with_any_permission(actions).values("pk")
        return (
            get_user_model()
            .objects.filter(Q(groups__name__in=roles) | Q(is_superuser=True) | Q(pk__in=holders), is_active=True)
            .distinct()
        )


# Registered before the viewset, which would otherwise create Wagtail's default policy for the model.
register_permission_policy(FeaturedMember, FeaturedMemberEditorsPolicy(FeaturedMember), exact_class=True)


class FeaturedMemberFilterSet(WagtailFilterSet):
    # Nominations arrive as drafts: editors find the ones waiting for review under "Draft".
    live = django_filters.BooleanFilter(
        label=_("Status"),
        widget=forms.RadioSelect(choices=[("", _("All")), ("true", _("Live")), ("false", _("Draft"))]),
    )

    class Meta:
        model = FeaturedMember
        fields = []


class FeaturedMemberViewSet(SnippetViewSet):
    model = FeaturedMember
    icon = "user"
    menu_label = _("Featured members")
    list_display = ["name", "award", "member", "locale", LiveStatusTagColumn()]
    filterset_class = FeaturedMemberFilterSet
    search_fields = ["name", "role", "award"]


register_snippet(FeaturedMemberViewSet)
