from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings

from network.services import ensure_member_profile
from network.services.templated_mail import site_address


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            ensure_member_profile(user)
        return user

    def format_email_subject(self, subject: str) -> str:
        # allauth would prefix the request's host ("[127.0.0.1:8000]"): people know the site by its name.
        return f"[{settings.WAGTAIL_SITE_NAME}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's emails with the site's name and public address (SITE_URL), like every other email."""
        base = urlsplit(site_address(allauth_context.request))
        context = {**context, "current_site": SimpleNamespace(name=settings.WAGTAIL_SITE_NAME, domain=base.netloc)}
        for key, value in context.items():
            # Confirmation, reset and sign-up links, built by allauth from the request's host.
            if key.endswith("_url") and isinstance(value, str) and value.startswith(("http://", "https://")):
                link = urlsplit(value)
                context[key] = urlunsplit((base.scheme, base.netloc, link.path, link.query, link.fragment))
        super().send_mail(template_prefix, email, context)
