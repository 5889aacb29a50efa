"""Writes to the site's page tree and settings."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site

from cms.models import HomePage, SiteBranding


@transaction.atomic
def ensure_home_pages(content: dict[str, dict], *, site_name: str, tagline: str = "") -> dict[str, HomePage]:
    """Make sure the default site has a published home page in every language of `content` (idempotent).

    `content` maps a language code to the HomePage field values for that language; the first one is the
    source the others are translated from. Existing pages are left as editors made them.
    """
    languages = list(content)
    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in languages}
    source_locale = locales[languages[0]]
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = HomePage.objects.filter(locale=source_locale).first()
    if home is None:
        # Wagtail's placeholder "Welcome" page holds the slug "home" and the default site: replace it.
        placeholder = site.root_page if site and not isinstance(site.root_page.specific, HomePage) else None
        if placeholder is not None:
            Page.objects.filter(pk=placeholder.pk).update(slug="wagtail-placeholder")
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(slug="home", locale=source_locale, **content[languages[0]]))
        home.save_revision().publish()
        if site is None:
            site = Site(is_default_site=True)
        # Full page URLs (sitemap, feeds, canonical links) use the site's address: the one the site is served at.
        address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        site.hostname = address.hostname
        site.port = address.port or (443 if address.scheme == "https" else 80)
        site.root_page = home
        site.site_name = site_name
        site.save()
        if placeholder is not None and not placeholder.get_children().exists():
            placeholder.delete()
    pages = {languages[0]: home}
    for code in languages[1:]:
        translation = home.get_translation_or_none(locales[code])
        if translation is None:
            translation = home.copy_for_translation(locales[code])
            for field, value in content[code].items():
                setattr(translation, field, value)
            translation.save_revision().publish()
        pages[code] = translation.specific
    branding = SiteBranding.for_site(site)
    if branding.site_name != site_name or branding.tagline != tagline:
        branding.site_name, branding.tagline = site_name, tagline
        branding.save()
    return pages
