"""The site search page: one query over pages, documents, forum topics and member profiles the visitor may see,
with facets, highlighted snippets, pagination and "did you mean". `?kind=document` is the library's search.

The permission filter runs inside the engine's query (search/engines/base.py), so totals, facet counts,
snippets and suggestions only ever come from what the visitor may open.
"""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from search import engines
from search.access import viewer_for
from search.engines.base import FACETS, SearchQuery
from search.engines.elastic import ElasticsearchUnavailable
from search.forms import SiteSearchForm
from search.registry import get_sources

logger = logging.getLogger(__name__)

RESULTS_PER_PAGE = 20
FACET_LABELS = {
    "kind": _("Kind"),
    "document_type": _("Document type"),
    "topics": _("Topic"),
    "language": _("Language"),
    "year": _("Year"),
}
FACET_VALUES_SHOWN = 12


class ResultWindow:
    """What Paginator needs of the results: their number, and the current page's hits when sliced."""

    def __init__(self, total: int, hits: list):
        self.total = total
        self.hits = hits

    def __len__(self) -> int:
        return self.total

    def count(self) -> int:
        return self.total

    def __getitem__(self, item):
        return self.hits


def run_search(query: SearchQuery):
    engine = engines.get_engine()
    try:
        return engine.search(query)
    except ElasticsearchUnavailable as error:
        engines.mark_unavailable(str(error))
        return engines.database_engine().search(query)


def value_label(name: str, value: str, kinds: dict) -> str:
    if name == "kind":
        return str(kinds.get(value, value))
    if name == "language":
        return str(dict(settings.LANGUAGES).get(value, value))
    return value.replace("_", " ").capitalize()


def localised_url(hit, language: str) -> str:
    """Pages have a URL per language already; other entries are stored under the default language's prefix."""
    if hit.kind == "page" or not hit.url.startswith("/"):
        return hit.url
    return translate_url(hit.url, language)


@require_GET
def site_search(request):
    form = SiteSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    filters = form.facet_filters()
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    kinds = {source.kind: source.label for source in get_sources()}
    library_only = filters.get("kind") == ("document",)
    context = {
        "form": form,
        "query": query,
        "page": None,
        "results": None,
        "filters": filters,
        "library_only": library_only,
        "prompt": not query and not form.errors,
    }
    if query:
        try:
            number = max(1, min(int(request.GET.get("page", 1)), 500))
        except (TypeError, ValueError):
            number = 1
        results = run_search(
            SearchQuery(
                text=query,
                viewer=viewer_for(request.user),
                language=language,
                filters=filters,
                page=number,
                per_page=RESULTS_PER_PAGE,
            )
        )
        paginator = Paginator(ResultWindow(results.total, results.hits), RESULTS_PER_PAGE)
        page = paginator.get_page(number)
        hits = [
            {"hit": hit, "url": localised_url(hit, language), "kind": kinds.get(hit.kind, hit.kind)}
            for hit in (results.hits if page.number == number else [])
        ]
        facets = []
        for name in FACETS:
            chosen = set(filters.get(name, ()))
            values = list(results.facets.get(name, []))[:FACET_VALUES_SHOWN]
            present = {value for value, _count in values}
            values += [(value, 0) for value in sorted(chosen - present)]
            if values:
                facets.append(
                    {
                        "name": name,
                        "label": FACET_LABELS[name],
                        "values": [
                            {
                                "value": value,
                                "label": value_label(name, value, kinds),
                                "count": count,
                                "checked": value in chosen,
                                "id": f"facet-{name}-{index}",
                            }
                            for index, (value, count) in enumerate(values)
                        ],
                    }
                )
        pairs = [("q", query)] + [(name, value) for name, values in filters.items() for value in values]
        suggestion_pairs = [("q", results.suggestion)] + pairs[1:]
        context.update(
            page=page,
            results=results,
            hits=hits,
            facets=facets,
            querystring=urlencode(pairs),
            suggestion_querystring=urlencode(suggestion_pairs) if results.suggestion else "",
        )
    return render(request, "search/results.html", context)
