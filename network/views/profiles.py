from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from network import permissions, queries, services
from network.areas import profile_panels
from network.forms import MissionServiceFormSet, ProfileForm
from network.models import Member


@login_required
def my_profile(request):
    member = queries.get_own_member(request.user)
    return render(
        request,
        "network/profile_detail.html",
        {
            "member": member,
            "visible": set(Member.VISIBLE_FIELDS),
            "is_owner": True,
            "missions": permissions.visible_missions(request.user, member),
            "panels": profile_panels(request, member),
        },
    )


@login_required
def edit_profile(request):
    member = queries.get_own_member(request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=member)
        missions = MissionServiceFormSet(request.POST, instance=member, prefix="missions")
        if form.is_valid() and missions.is_valid():
            mission_rows = [
                {key: row.cleaned_data[key] for key in ("mission", "start_year", "end_year")}
                for row in missions.forms
                if row.cleaned_data and not row.cleaned_data.get("DELETE")
            ]
            services.update_member_profile(
                member,
                actor=request.user,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                fields={
                    **{
                        name: form.cleaned_data[name]
                        for name in ("country", "police_service", "rank", "bio", "hide_current_deployment")
                    },
                    # False means "clear the photo"; an untouched field gives back the current file.
                    "photo": form.cleaned_data["photo"] or "",
                },
                languages=form.cleaned_data["languages"],
                expertise=form.cleaned_data["expertise"],
                visibility=form.visibility(),
                missions=mission_rows,
                time_zone=form.cleaned_data["time_zone"],
            )
            messages.success(request, _("Your profile has been saved."))
            return redirect("network:my_profile")
        messages.error(request, _("Please correct the errors below. Nothing has been saved yet."))
    else:
        form = ProfileForm(instance=member)
        missions = MissionServiceFormSet(instance=member, prefix="missions")
    return render(request, "network/profile_form.html", {"form": form, "missions": missions, "member": member})


def _visible_member(request, public_id) -> Member:
    try:
        member = queries.get_member_by_public_id(public_id)
    except Member.DoesNotExist:
        raise Http404 from None
    # Not found rather than forbidden: whether a hidden profile exists is itself private.
    if not permissions.can_view_profile(request.user, member):
        raise Http404
    return member


@login_required
def member_profile(request, public_id):
    member = _visible_member(request, public_id)
    if permissions.can_edit_profile(request.user, member):
        return redirect("network:my_profile")
    return render(
        request,
        "network/profile_detail.html",
        {
            "member": member,
            "visible": permissions.visible_member_fields(request.user, member),
            "is_owner": False,
            # A hidden current deployment is left out for everyone but the member (duty of care).
            "missions": permissions.visible_missions(request.user, member),
            "can_contact": permissions.can_contact_member(request.user, member),
            "panels": profile_panels(request, member),
        },
    )


@login_required
@never_cache
def member_photo(request, public_id):
    member = _visible_member(request, public_id)
    if not member.photo or not permissions.can_view_member_field(request.user, member, "photo"):
        raise Http404
    response = FileResponse(member.photo.open("rb"))
    response["Cache-Control"] = "private, max-age=0, no-store"
    return response
