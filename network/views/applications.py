"""The applicant's side of membership: "My membership", applying for a category, adding requested information."""

from allauth.account.utils import has_verified_email
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from network import permissions, queries, services
from network.choices import ApplicationState, MemberCategory
from network.forms import CATEGORY_DESCRIPTIONS, ApplicationCategoryForm, application_form_class
from network.services import applications as application_services
from network.services import membership as membership_services
from network.services.applications import ApplicationError


@login_required
def my_membership(request):
    """The member's membership and application; POST takes the two one-step actions offered here."""
    member = queries.get_own_member(request.user)
    if request.method == "POST":
        return _membership_action(request, member)
    application = queries.get_latest_application(request.user)
    return render(
        request,
        "network/application_status.html",
        {
            "member": member,
            "application": application,
            "membership_current": bool(member.category) and permissions.membership_is_current(member),
            "can_renew": permissions.can_renew_own_membership(member),
            "renewal_until": membership_services.default_renewal_date(member),
            "profile_hidden": bool(member.category) and not member.network_sees_any,
            "can_apply": not application_services.application_blocker(request.user),
            "needs_verified_email": not has_verified_email(request.user),
        },
    )


def _membership_action(request, member):
    action = request.POST.get("action")
    if action == "share_profile":
        services.share_profile_with_network(member, actor=request.user)
        messages.success(
            request,
            _("Your profile is now shared with the network. You can choose field by field on your profile page."),
        )
    elif action == "renew":
        try:
            membership_services.renew_own_membership(member, actor=request.user)
        except membership_services.MembershipError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Thank you. Your membership is renewed until %(date)s.")
                % {"date": date_format(member.membership_expires_on, "DATE_FORMAT")},
            )
    return redirect("network:my_membership")


def _refuse_if_blocked(request):
    blocker = application_services.application_blocker(request.user)
    if blocker:
        messages.info(request, blocker)
        return redirect("network:my_membership")
    return None


@login_required
def apply(request):
    """Step 1: choose the category (a GET form, so the choice is just a link to step 2)."""
    if refused := _refuse_if_blocked(request):
        return refused
    member = queries.get_own_member(request.user)
    # Bound once the form was sent ("step" is its hidden field): "Continue" without a choice is an error.
    sent = "category" in request.GET or "step" in request.GET
    form = ApplicationCategoryForm(request.GET if sent else None, current_category=member.category)
    if form.is_bound and form.is_valid():
        return redirect("network:apply_details", category=form.cleaned_data["category"])
    return render(
        request,
        "network/application_category.html",
        {"form": form, "member": member, "descriptions": CATEGORY_DESCRIPTIONS},
    )


@login_required
def apply_details(request, category: str):
    """Step 2: the evidence the chosen category needs."""
    if category not in MemberCategory.values:
        raise Http404
    if refused := _refuse_if_blocked(request):
        return refused
    member = queries.get_own_member(request.user)
    if member.category == category:
        messages.info(request, _("You are already a member in this category."))
        return redirect("network:my_membership")
    form_class = application_form_class(category)
    if request.method == "POST":
        # Only the evidence fields are read from the POST: a category or state sent along is ignored.
        form = form_class(request.POST)
        if form.is_valid():
            try:
                application_services.submit_application(
                    request.user, category=category, evidence=form.evidence(), country=form.country()
                )
            except ApplicationError as error:
                messages.error(request, str(error))
                return redirect("network:my_membership")
            messages.success(request, _("Thank you. Your application has been sent to the membership officers."))
            return redirect("network:my_membership")
        messages.error(request, _("Please correct the errors below. Nothing has been sent yet."))
    else:
        form = form_class(
            initial={"police_service": member.police_service, "rank": member.rank, "country": member.country.code}
        )
    return render(
        request,
        "network/application_form.html",
        {
            "form": form,
            "category": MemberCategory(category),
            "description": CATEGORY_DESCRIPTIONS[category],
        },
    )


@login_required
def update_application(request):
    """The applicant adds the information an officer asked for and sends the application back."""
    application = queries.get_open_application(request.user)
    if application is None or application.state != ApplicationState.MORE_INFO:
        messages.info(request, _("Your application is not waiting for more information."))
        return redirect("network:my_membership")
    form_class = application_form_class(application.category)
    if request.method == "POST":
        form = form_class(request.POST, instance=application)
        if form.is_valid():
            try:
                application_services.resubmit_application(
                    application, actor=request.user, evidence=form.evidence(), country=form.country()
                )
            except ApplicationError as error:
                messages.error(request, str(error))
                return redirect("network:my_membership")
            messages.success(request, _("Thank you. Your application has been sent back to the membership officers."))
            return redirect("network:my_membership")
        messages.error(request, _("Please correct the errors below. Nothing has been sent yet."))
    else:
        member = queries.get_own_member(request.user)
        form = form_class(instance=application, initial={"country": member.country.code})
    return render(
        request,
        "network/application_form.html",
        {
            "form": form,
            "application": application,
            "category": MemberCategory(application.category),
            "description": CATEGORY_DESCRIPTIONS[application.category],
        },
    )
