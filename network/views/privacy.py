"""Privacy and duty of care: consents, downloading one's data, deleting one's account."""

import json

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from network import permissions
from network.choices import ConsentKind
from network.forms import DeleteAccountForm, FeatureConsentForm
from network.models import ConsentRecord
from network.services import privacy


def terms(request):
    """The terms of membership that the sign-up checkbox accepts, with the version recorded on the consent."""
    return render(request, "network/terms.html", {"version": settings.TERMS_VERSION})


@login_required
@never_cache
def privacy_settings(request):
    if request.method == "POST":
        form = FeatureConsentForm(request.POST)
        if form.is_valid():
            if form.cleaned_data["consent"]:
                privacy.give_feature_consent(request.user)
                messages.success(request, _("Thank you: the website may now feature you."))
            else:
                privacy.withdraw_feature_consent(request.user)
                messages.success(request, _("Your consent has been withdrawn; the website will no longer feature you."))
        else:
            messages.error(request, _("Please use one of the buttons below."))
        return redirect("network:privacy")
    member = permissions.get_member(request.user)
    return render(
        request,
        "network/privacy_settings.html",
        {
            "member": member,
            "consents": ConsentRecord.objects.filter(user=request.user).order_by("-given_at"),
            "feature_consent": member is not None and permissions.has_feature_consent(member),
            "consent_kinds": ConsentKind,
            "can_delete": privacy.can_delete_own_account(request.user),
        },
    )


@login_required
@never_cache
def export_data(request):
    """GET explains, POST downloads: a download that writes an audit entry is not triggered by a link."""
    if request.method != "POST":
        return render(request, "network/privacy_export.html")
    data = privacy.export_personal_data(request.user, actor=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"peacekeepers-network-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@never_cache
def delete_account(request):
    if not privacy.can_delete_own_account(request.user):
        return render(request, "network/privacy_delete.html", {"staff": True})
    if request.method == "POST" and not ratelimit.consume(request, action="reauthenticate", user=request.user):
        # The same limit as allauth's password confirmations: a stolen session cannot guess the password.
        return ratelimit.respond_429(request)
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        privacy.delete_account(user, actor=user)
        logout(request)
        messages.success(request, _("Your account and your personal data have been erased. Goodbye."))
        return redirect(f"/{request.LANGUAGE_CODE}/")
    return render(request, "network/privacy_delete.html", {"form": form})
