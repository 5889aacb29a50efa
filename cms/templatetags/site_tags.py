from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """Links to the current page in each language: the page's translation, else the same view."""
    request = context.get("request")
    if request is None:
        return []
    page = context.get("page")
    translations = {}
    if page is not None and getattr(page, "locale_id", None):
        translations = {
            translation.locale.language_code: translation.url
            for translation in page.get_translations(inclusive=True).live().select_related("locale")
        }
    current = get_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = translations.get(code) or translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links
