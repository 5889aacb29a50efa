"""The members' directory: network members find each other; everyone else learns who may enter and how."""

from django.core.paginator import Paginator
from django.shortcuts import render
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
    entries = []
    for member in page.object_list:
        visible = permissions.visible_member_fields(request.user, member)
        entries.append(
            {
                "member": member,
                "visible": visible,
                "missions": permissions.visible_missions(request.user, member, details.missions.get(member.pk, [])),
                "languages": details.languages.get(member.pk, []) if "languages" in visible else [],
                "expertise": details.expertise.get(member.pk, []) if "expertise" in visible else [],
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "network/directory.html",
        {"form": form, "page": page, "entries": entries, "querystring": query.urlencode()},
    )
