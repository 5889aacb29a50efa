"""The members' directory: network members find each other; everyone else learns who may enter and how."""

from dataclasses import dataclass

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from network import permissions, queries
from network.choices import MemberCategory, country_choices
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
    filters = form.filters()
    members = queries.search_directory(request.user, **filters)
    search_refused = form.search_refused()
    if search_refused:
        members = members.none()
    page = queries.directory_page(members, form.page_size(), request.GET.get("page"), filtered=bool(filters))
    details = queries.load_directory_details(page.object_list)
    labels = {
        "country": _("Country"),
        "police_service": _("Police service or employer"),
        "rank": _("Rank or title"),
        "missions": _("Missions served"),
        "languages": _("Languages"),
        "expertise": _("Areas of expertise"),
    }
    page_context = EntryContext(
        viewer=request.user,
        audiences=permissions.shared_audiences(request.user),
        details=details,
        labels=labels,
        categories={value: str(label) for value, label in MemberCategory.choices},
        countries=dict(country_choices()),
        profile_url=MemberURL("network:member_profile"),
        contact_url=MemberURL("network:contact_member"),
    )
    entries = [directory_entry(member, page_context) for member in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "network/directory.html",
        {
            "form": form,
            "page": page,
            "entries": entries,
            "querystring": query.urlencode(),
            "search_refused": search_refused,
        },
    )


class MemberURL:
    """A member's URL by public id, reversed once per page rather than once per entry."""

    PLACEHOLDER = "00000000-0000-0000-0000-000000000000"

    def __init__(self, name: str):
        self.pattern = reverse(name, args=[self.PLACEHOLDER])

    def __call__(self, member) -> str:
        return self.pattern.replace(self.PLACEHOLDER, str(member.public_id))


@dataclass
class EntryContext:
    """What every entry of one directory page shares: the viewer, the related lists and translated labels."""

    viewer: object
    audiences: list[str]
    details: queries.DirectoryDetails
    labels: dict[str, str]
    categories: dict[str, str]
    countries: dict[str, str]
    profile_url: MemberURL
    contact_url: MemberURL


def directory_entry(member, context: EntryContext) -> dict:
    """What one entry shows: only the fields the member shares with the viewer, as (label, text) pairs.

    Prepared here rather than in the template: a page of 100 entries renders in half the time.
    """
    visible = permissions.visible_member_fields(context.viewer, member, context.audiences)
    details = context.details
    values = {
        "country": context.countries.get(member.country.code, "") if member.country else "",
        "police_service": member.police_service,
        "rank": member.rank,
        "missions": ", ".join(
            map(
                str,
                permissions.visible_missions(
                    context.viewer, member, details.missions.get(member.pk, []), visible_fields=visible
                ),
            )
        ),
        "languages": ", ".join(details.languages.get(member.pk, [])),
        "expertise": ", ".join(details.expertise.get(member.pk, [])),
    }
    name = member.display_name
    return {
        "name": name,
        "category": context.categories.get(member.category, ""),
        "profile_url": context.profile_url(member),
        "contact_url": context.contact_url(member),
        "contact_label": _("Contact %(name)s") % {"name": name},
        "fields": [(context.labels[field], text) for field, text in values.items() if field in visible and text],
    }
