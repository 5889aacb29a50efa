"""The members' directory: network members find each other; everyone else learns who may enter and how."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from network import permissions, queries
from network.forms import DirectorySearchForm


def render_directory_refusal(request, *, status: int = 200):
    """Who may use the directory and how to get there; no member data, no counts."""
    reason = permissions.community_ineligibility(request.user)
    if reason == "anonymous" and request.user.is_authenticated:
        reason = "applicant"  # signed in, but without a membership profile yet
    return render(request, "network/directory_restricted.html", {"reason": reason}, status=status)


@require_GET
@never_cache
def directory(request):
    if not permissions.can_view_directory(request.user):
        return render_directory_refusal(request)
    form = DirectorySearchForm(request.GET or None)
    members = queries.search_directory(request.user, **form.filters())
    page = Paginator(members, form.page_size()).get_page(request.GET.get("page"))
    details = queries.load_directory_details(page.object_list)
    labels = {
        "country": _("Country"),
        "police_service": _("Police service or employer"),
        "rank": _("Rank or title"),
        "missions": _("Missions served"),
        "languages": _("Languages"),
        "expertise": _("Areas of expertise"),
    }
    audiences = permissions.shared_audiences(request.user)
    entries = [directory_entry(request.user, member, details, labels, audiences) for member in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "network/directory.html",
        {"form": form, "page": page, "entries": entries, "querystring": query.urlencode()},
    )


def directory_entry(viewer, member, details: queries.DirectoryDetails, labels: dict, audiences: list[str]) -> dict:
    """What one entry shows: only the fields the member shares with the viewer, as (label, text) pairs.

    Prepared here rather than in the template: a page of 100 entries renders in half the time.
    """
    visible = permissions.visible_member_fields(viewer, member, audiences)
    values = {
        "country": member.country.name if member.country else "",
        "police_service": member.police_service,
        "rank": member.rank,
        "missions": ", ".join(
            map(str, permissions.visible_missions(viewer, member, details.missions.get(member.pk, [])))
        ),
        "languages": ", ".join(details.languages.get(member.pk, [])),
        "expertise": ", ".join(details.expertise.get(member.pk, [])),
    }
    return {
        "name": member.display_name,
        "category": member.get_category_display(),
        "profile_url": reverse("network:member_profile", args=[member.public_id]),
        "contact_url": reverse("network:contact_member", args=[member.public_id]),
        "contact_label": _("Contact %(name)s") % {"name": member.display_name},
        "fields": [(labels[field], text) for field, text in values.items() if field in visible and text],
    }
