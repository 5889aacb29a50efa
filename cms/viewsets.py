"""Admin choosers for the content editors."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.chooser import ChooserViewSet

from network.models import Target


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


target_chooser_viewset = TargetChooserViewSet("cms_target_chooser", url_prefix="cms-target-chooser")
