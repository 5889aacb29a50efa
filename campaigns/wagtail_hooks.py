"""Campaign admin in Wagtail: the campaigns menu, the statistic series snippet and the target chooser."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

# Importing the viewsets registers the campaign models' permission policies (editors and administrators only)
# before anything asks for them; the statistic series is a snippet so pages can choose it.
from campaigns.choosers import target_chooser_viewset
from campaigns.viewsets import CampaignAdminGroup, StatisticSeriesViewSet

register_snippet(StatisticSeriesViewSet)


@hooks.register("register_admin_viewset")
def register_campaign_admin():
    return CampaignAdminGroup()


@hooks.register("register_admin_viewset")
def register_target_chooser():
    return target_chooser_viewset
