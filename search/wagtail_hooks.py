"""Wagtail admin: a dashboard warning while the site search falls back from Elasticsearch to the database."""

from wagtail import hooks
from wagtail.admin.ui.components import Component

from network.permissions import can_open_admin


class SearchFallbackPanel(Component):
    name = "search_fallback"
    order = 40
    template_name = "search/admin/fallback_panel.html"

    def __init__(self, reason: str):
        self.reason = reason

    def get_context_data(self, parent_context):
        return {"reason": self.reason}


@hooks.register("construct_homepage_panels")
def add_search_fallback_panel(request, panels):
    from search.engines import fallback_reason

    if can_open_admin(request.user) and (reason := fallback_reason()):
        panels.insert(0, SearchFallbackPanel(reason))
