from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from network.permissions import must_enrol_mfa

ADMIN_PREFIX = "/admin/"


class StaffMFARequiredMiddleware:
    """Send staff who have no second factor to set one up before they can open the Wagtail admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(ADMIN_PREFIX) and must_enrol_mfa(request.user):
            messages.warning(
                request,
                _("Staff accounts need two-factor authentication. Set it up to open the administration."),
            )
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa_activate_totp')}?{query}")
        return self.get_response(request)
