"""Site search: the pages of the current language that the visitor may open, best matches first."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail.models import Locale, Page

from cms.access import filter_pages_for_user
from search.forms import SiteSearchForm

RESULTS_PER_PAGE = 20


@require_GET
def site_search(request):
    form = SiteSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page = None
    if query:
        # The access filter runs inside the search, so counts and pages never include what the visitor may not
        # open (members-only sections, pages behind Wagtail's own restrictions, drafts).
        pages = Page.objects.live().filter(locale=Locale.get_active()).exclude(depth__lte=1)
        results = filter_pages_for_user(request.user, pages).specific().search(query, operator="and")
        page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "search/results.html",
        {"form": form, "query": query, "page": page, "querystring": urlencode({"q": query})},
    )
