"""Campaign pages (progress, charts, breakdowns, contributors), target history CSV, and members' advocacy log.

Members-only campaigns answer 404 to anyone who may not see them (pages, CSV), so their existence does
not leak.
"""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import permissions, queries
from campaigns import services as campaign_services
from campaigns.choices import CampaignVisibility, MetricSource
from campaigns.forms import AdvocacyActionForm, CampaignContributorForm
from campaigns.models import AdvocacyAction, Campaign, CampaignContributor
from campaigns.progress import get_campaign_with_targets, get_target_progress, source_label
from network import permissions as network_permissions


def _visible_campaign_with_targets(request, slug: str) -> tuple[Campaign, list]:
    try:
        campaign, targets = get_campaign_with_targets(slug)
    except Campaign.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_campaign(request.user, campaign):
        raise Http404
    return campaign, targets


def _visible_campaign(request, slug: str) -> Campaign:
    return _visible_campaign_with_targets(request, slug)[0]


def _visible_target(request, slug: str, target_id: int):
    campaign, targets = _visible_campaign_with_targets(request, slug)
    for target in targets:
        if target.pk == target_id:
            return campaign, target
    raise Http404


def campaign_list(request):
    campaigns = queries.list_campaigns_for_user(request.user)
    return render(request, "campaigns/campaign_list.html", {"campaigns": campaigns})


def _allow_anonymous_page_cache(request, campaign: Campaign) -> None:
    """A public campaign looks the same to every anonymous visitor: let the page cache keep it.

    It is replaced when a snapshot, a recorded value, a target or the contributors' list changes
    (campaigns/progress.invalidate_target_progress and the contributor services).
    """
    from network.page_cache import mark_cacheable

    if campaign.visibility == CampaignVisibility.PUBLIC and not request.user.is_authenticated:
        mark_cacheable(request)


def campaign_detail(request, slug):
    campaign, targets = _visible_campaign_with_targets(request, slug)
    _allow_anonymous_page_cache(request, campaign)
    progress = get_target_progress(targets)
    contributors = queries.list_campaign_contributors(campaign)
    member = network_permissions.get_member(request.user)
    context = {
        "campaign": campaign,
        "items": [(target, progress[target.pk]) for target in targets],
        "contributors": contributors,
        "can_join": permissions.can_join_campaign_contributors(request.user, campaign),
        "is_contributor": member is not None and any(item.member_id == member.pk for item in contributors),
        "can_nominate": network_permissions.can_nominate_for_spotlight(request.user)
        and campaign_services.spotlight_available(),
    }
    return render(request, "campaigns/campaign_detail.html", context)


def target_detail(request, slug, target_id):
    campaign, target = _visible_target(request, slug, target_id)
    _allow_anonymous_page_cache(request, campaign)
    progress = get_target_progress([target])[target.pk]
    context = {"campaign": campaign, "target": target, "progress": progress, "source_label": source_label(target)}
    return render(request, "campaigns/target_detail.html", context)


def target_history_csv(request, slug, target_id):
    """The target's history as its source holds it; a recorded target's file imports back unchanged."""
    campaign, target = _visible_target(request, slug, target_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{campaign.slug}-target-{target.pk}-history.csv"'
    writer = csv.writer(response)
    if target.source == MetricSource.RECORDED:
        writer.writerow(["date", "value", "note"])
        writer.writerows(campaign_services.recorded_values_csv_rows(target))
        return response
    header, rows = queries.list_target_history_rows(target)
    writer.writerow(header)
    for key, value in rows:
        writer.writerow([key.isoformat() if hasattr(key, "isoformat") else key, format(value.normalize(), "f")])
    return response


@login_required
@require_POST
def campaign_contributors(request, slug):
    """Add or remove the signed-in member's name on the campaign's contributors' list."""
    campaign = _visible_campaign(request, slug)
    form = CampaignContributorForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    if form.cleaned_data["action"] == "join":
        campaign_services.join_campaign_contributors(campaign, actor=request.user)
        messages.success(request, _("Your name is now on the contributors' list. Thank you!"))
    elif campaign_services.leave_campaign_contributors(campaign, actor=request.user):
        messages.success(request, _("Your name has been removed from the contributors' list."))
    return redirect(f"{campaign_url(campaign)}#contributors")


@login_required
@require_POST
def nominate_contributor(request, slug, contributor_id):
    """Editors propose a listed contributor for the featured members' spotlight."""
    campaign = _visible_campaign(request, slug)
    if not network_permissions.can_nominate_for_spotlight(request.user) or not campaign_services.spotlight_available():
        raise PermissionDenied
    contributor = get_object_or_404(
        CampaignContributor.objects.select_related("member__user"), pk=contributor_id, campaign=campaign
    )
    featured, created = campaign_services.nominate_for_spotlight(contributor, actor=request.user)
    name = {"name": contributor.member.display_name}
    if created:
        messages.success(
            request,
            _(
                "%(name)s has been nominated. The entry is a draft in Featured members: an editor will review "
                "and publish it, and it is shown only while she agrees to be featured."
            )
            % name,
        )
    elif featured.live:
        messages.info(request, _("%(name)s is already among the featured members.") % name)
    else:
        messages.info(
            request,
            _("%(name)s has already been nominated: the draft in Featured members awaits an editor's review.") % name,
        )
    return redirect(f"{campaign_url(campaign)}#contributors")


def campaign_url(campaign: Campaign) -> str:
    from django.urls import reverse

    return reverse("campaigns:campaign_detail", args=[campaign.slug])


# --- advocacy actions --------------------------------------------------------------------------------------


def _advocacy_fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in campaign_services.ADVOCACY_FIELDS}


@login_required
def advocacy_actions(request):
    """The member's own advocacy actions, newest first, and the form to log one more."""
    if not permissions.can_log_advocacy(request.user):
        return render(request, "campaigns/advocacy_forbidden.html", status=403)
    member = request.user.member
    if request.method == "POST":
        form = AdvocacyActionForm(request.POST)
        if form.is_valid():
            campaign_services.log_advocacy_action(actor=request.user, **_advocacy_fields(form))
            messages.success(request, _("Your advocacy action has been logged. Thank you!"))
            return redirect("advocacy:advocacy_actions")
        messages.error(request, _("Please correct the errors below. Nothing has been saved yet."))
    else:
        form = AdvocacyActionForm()
    actions = list(queries.list_advocacy_actions_for_member(member))
    totals = {"count": len(actions), "people": sum(action.people_reached for action in actions)}
    return render(request, "campaigns/advocacy_list.html", {"form": form, "actions": actions, "totals": totals})


def _own_action(request, pk: int) -> AdvocacyAction:
    if not permissions.can_log_advocacy(request.user):
        raise PermissionDenied
    # Someone else's action is "not found", not "forbidden": its existence is not theirs to know.
    return get_object_or_404(AdvocacyAction, pk=pk, member__user=request.user)


@login_required
def edit_advocacy_action(request, pk):
    action = _own_action(request, pk)
    if request.method == "POST":
        form = AdvocacyActionForm(request.POST, instance=action)
        if form.is_valid():
            campaign_services.update_advocacy_action(action, actor=request.user, **_advocacy_fields(form))
            messages.success(request, _("Your advocacy action has been saved."))
            return redirect("advocacy:advocacy_actions")
        messages.error(request, _("Please correct the errors below. Nothing has been saved yet."))
    else:
        form = AdvocacyActionForm(instance=action)
    return render(request, "campaigns/advocacy_form.html", {"form": form, "action": action})


@login_required
def delete_advocacy_action(request, pk):
    action = _own_action(request, pk)
    if request.method == "POST":
        campaign_services.delete_advocacy_action(action, actor=request.user)
        messages.success(request, _("The advocacy action has been deleted."))
        return redirect("advocacy:advocacy_actions")
    return render(request, "campaigns/advocacy_delete.html", {"action": action})
