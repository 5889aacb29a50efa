from django import forms
from django.utils.translation import gettext_lazy as _

from search.engines.base import FACETS

MAX_QUERY_LENGTH = 200
MAX_FILTER_VALUES = 20
MAX_FILTER_LENGTH = 60


class SiteSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the site"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        error_messages={"max_length": _("Please use at most %(limit_value)d characters (you typed %(show_value)d).")},
    )

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.raw = data

    def facet_filters(self) -> dict[str, tuple[str, ...]]:
        """The facet values ticked in the URL (?kind=document&year=2011…), bounded; unknown names ignored."""
        if not self.raw:
            return {}
        filters = {}
        for name in FACETS:
            values = [value.strip() for value in self.raw.getlist(name)[:MAX_FILTER_VALUES]]
            values = [value for value in values if value and len(value) <= MAX_FILTER_LENGTH and "\x00" not in value]
            if values:
                filters[name] = tuple(dict.fromkeys(values))
        return filters
