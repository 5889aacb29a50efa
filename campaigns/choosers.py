"""The admin chooser for campaign targets, kept apart from viewsets.py: page blocks (cms/blocks.py) build
their block class from it while models load, before the campaign admin can be imported."""

from functools import wraps

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.chooser import ChooserViewSet

from campaigns.models import Target
from campaigns.permissions import check_can_manage_campaigns


class TargetChooserViewSet(ChooserViewSet):
    """Pick a campaign target to show its progress on a page."""

    model = Target
    icon = "pick"
    choose_one_text = _("Choose a campaign target")
    choose_another_text = _("Choose another target")
    # Other admin forms with a foreign key to Target keep their own widget.
    register_widget = False

    def get_object_list(self):
        return Target.objects.select_related("campaign")

    def construct_view(self, view_class, **kwargs):
        # Wagtail's choosers open to any admin user; targets include members-only campaigns, which only the
        # campaign editors (who place targets on pages) may see.
        view = super().construct_view(view_class, **kwargs)

        @wraps(view)
        def campaign_editors_only(request, *args, **kwargs):
            check_can_manage_campaigns(request.user)
            return view(request, *args, **kwargs)

        return campaign_editors_only


target_chooser_viewset = TargetChooserViewSet("cms_target_chooser", url_prefix="cms-target-chooser")
