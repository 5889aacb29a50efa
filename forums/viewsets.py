"""Wagtail admin for the forums: the forum tree with access level, working-group grants and moderators, and
the moderation queue of open flags and held posts.

Community moderators and administrators manage forums (forums.permissions.is_forum_moderator); the policy
below answers for every action on the Forum model instead of Django model permissions.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from guardian.shortcuts import get_groups_with_perms
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from forums.models import Forum
from forums.permissions import MODERATE_PERM, READ_PERM, can_moderate_any_forum, is_forum_moderator
from forums.queries import moderation_queue
from forums.services import set_forum_groups
from network.choices import StaffRole


class ForumManagersPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        return is_forum_moderator(user)

    def user_has_any_permission(self, user, actions):
        return is_forum_moderator(user)

    def users_with_any_permission(self, actions):
        roles = [StaffRole.MODERATOR.value, StaffRole.ADMINISTRATOR.value]
        return (
            get_user_model().objects.filter(Q(groups__name__in=roles) | Q(is_superuser=True), is_active=True).distinct()
        )


register_permission_policy(Forum, ForumManagersPolicy(Forum), exact_class=True)


class ForumForm(WagtailAdminModelForm):
    reader_groups = forms.ModelMultipleChoiceField(
        label=_("Groups that may read (restricted forums)"),
        queryset=Group.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A working group or a mission's women's network. Members still need the forum's access level."),
    )
    moderator_groups = forms.ModelMultipleChoiceField(
        label=_("Groups that moderate this forum"),
        queryset=Group.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Forum
        fields = [
            "name",
            "slug",
            "parent",
            "position",
            "description",
            "kind",
            "access_level",
            "is_restricted",
            "hold_first_posts",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            groups = get_groups_with_perms(self.instance, attach_perms=True)
            read, moderate = READ_PERM.split(".")[1], MODERATE_PERM.split(".")[1]
            self.fields["reader_groups"].initial = [g.pk for g, perms in groups.items() if read in perms]
            self.fields["moderator_groups"].initial = [g.pk for g, perms in groups.items() if moderate in perms]
            self.fields["parent"].queryset = Forum.objects.exclude(pk=self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        parent = cleaned.get("parent")
        ancestor = parent
        while ancestor is not None and self.instance.pk:
            if ancestor.pk == self.instance.pk:
                self.add_error("parent", _("A forum cannot sit inside itself or one of its sub-forums."))
                break
            ancestor = ancestor.parent
        if cleaned.get("reader_groups") and not cleaned.get("is_restricted"):
            self.add_error("is_restricted", _("Tick “restricted” for the reading groups to mean anything."))
        return cleaned

    def save(self, commit=True):
        forum = super().save(commit=commit)
        if commit:
            actor = getattr(self, "for_user", None)
            set_forum_groups(forum, perm=READ_PERM, groups=self.cleaned_data.get("reader_groups") or [], actor=actor)
            set_forum_groups(
                forum, perm=MODERATE_PERM, groups=self.cleaned_data.get("moderator_groups") or [], actor=actor
            )
        return forum


class ForumViewSet(ModelViewSet):
    model = Forum
    form_fields = None
    icon = "comment"
    menu_label = _("Forums")
    menu_order = 260
    add_to_admin_menu = True
    url_prefix = "forums"
    name = "forum_admin"
    list_display = ["name", "parent", Column("access_level", label=_("Open to")), "is_restricted", "topic_count"]
    list_filter = ["access_level", "is_restricted", "kind"]
    search_fields = ["name", "description"]

    def get_form_class(self, for_update=False):
        return ForumForm


forum_viewset = ForumViewSet()


class ModerationQueueView(WagtailAdminTemplateMixin, TemplateView):
    """The moderation queue inside the Wagtail admin: the same open flags and held posts as the site's queue,
    acted on through the same services (each action asks for a reason and lands in the audit log)."""

    template_name = "forums/admin/moderation_queue.html"
    page_title = _("Forum moderation")
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        if not can_moderate_any_forum(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **moderation_queue(self.request.user)}
