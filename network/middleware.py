from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.functional import empty
from django.utils.translation import gettext as _

from network.models import User
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


class RememberLanguageMiddleware:
    """Keep the language a signed-in member uses the site in as `User.language`, for her emails.

    Only pages under a language prefix (/fr/...) count, and only a user the request already loaded: a page
    that never read the user costs nothing, and one UPDATE runs only when the language changes (blank stands
    for the default language, so most members never cost one).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or getattr(user, "_wrapped", None) is empty or not user.is_authenticated:
            return response
        language = translation.get_language_from_path(request.path_info)
        if language and language != (user.language or settings.LANGUAGE_CODE):
            User.objects.filter(pk=user.pk).update(language=language)
            user.language = language
        return response
