"""Community of Practice: the access request page, endorsements by network members, and the community home."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from network import permissions, queries
from network.areas import community_panels
from network.forms import CommunityAccessRequestForm, CommunityEndorsementForm
from network.models import CommunityAccessRequest
from network.services import community


@never_cache
def community_status(request):
    """Where a member stands: not eligible (and why), the request form, pending, approved, declined…"""
    reason = permissions.community_ineligibility(request.user)
    member = permissions.get_member(request.user)
    status = queries.get_community_status(member) if member is not None else {"current": None, "last_ended": None}
    form = None
    if not reason and status["current"] is None:
        form = CommunityAccessRequestForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                community.request_community_access(
                    member, actor=request.user, motivation=form.cleaned_data["motivation"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your request has been sent to the moderators."))
                return redirect("network:community_status")
    elif request.method == "POST":
        messages.error(request, _("You cannot send a request now; this page explains why."))
        return redirect("network:community_status")
    return render(
        request,
        "network/community_status.html",
        {
            "reason": reason,
            "current": status["current"],
            "last_ended": status["last_ended"],
            "form": form,
            "has_access": permissions.can_enter_community(request.user),
        },
    )


@login_required
@never_cache
def community_requests(request):
    """Pending requests of members the viewer can find in the directory, to endorse."""
    if not permissions.can_view_directory(request.user):
        return redirect("network:community_status")  # which explains who may take part
    return render(
        request,
        "network/community_requests.html",
        {"requests": queries.list_endorsable_requests(request.user), "form": CommunityEndorsementForm()},
    )


@login_required
@require_POST
def endorse_request(request, pk: int):
    access_request = (
        permissions.filter_endorsable_requests_for_user(request.user, CommunityAccessRequest.objects.all())
        .filter(pk=pk)
        .select_related("member__user")
        .first()
    )
    member = permissions.get_member(request.user)
    if access_request is None or member is None:
        raise Http404
    form = CommunityEndorsementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The note is too long (at most 1,000 characters)."))
        return redirect("network:community_requests")
    try:
        community.endorse_community_request(access_request, endorser=member, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("You endorsed the request of %(name)s.") % {"name": access_request.member.display_name}
        )
    return redirect("network:community_requests")


@never_cache
def community_home(request):
    """The community's landing page: a panel from each app (network/areas.py), for members with access."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_enter_community(request.user):
        return render(
            request,
            "network/community_denied.html",
            {"reason": permissions.community_ineligibility(request.user)},
            status=403,
        )
    return render(request, "network/community_home.html", {"panels": community_panels(request)})
