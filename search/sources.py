"""The sources the search app registers itself: Wagtail pages and member profiles as the directory shows them.
(Forum topics register from forums/apps.py, library documents from library/apps.py.)

Pages: live pages under a language root; the entry's level is the page's effective access level
(cms.access); a page behind a Wagtail password or group restriction is not indexed, one behind a login-only
restriction needs at least the members' level. Members: the profiles the directory lists, with only the fields
their owner shares with the network (or with all members); the entry needs the directory's level (network).
"""

from collections.abc import Iterable, Iterator

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from cms.access import effective_access_level
from network.choices import AccessLevel
from network.models import Member, MissionService
from network.permissions import VISIBILITY_REQUIRES, filter_listed_directory_members
from search.engines.base import SearchEntry
from search.registry import SearchSource, register_source

PAGE_KIND = "page"
MEMBER_KIND = "member"
NETWORK_AUDIENCES = frozenset(
    choice for choice, required in VISIBILITY_REQUIRES.items() if required <= AccessLevel.NETWORK
)


# --- pages ----------------------------------------------------------------------------------------------


def page_text(page: Page) -> str:
    """The text of a page's search fields (Wagtail's own declaration), HTML and block structure removed."""
    parts: list[str] = []
    for search_field in getattr(page, "search_fields", []):
        if not isinstance(search_field, index.SearchField) or search_field.field_name == "title":
            continue
        value = getattr(page, search_field.field_name, None)
        if value in (None, ""):
            continue
        try:
            model_field = page._meta.get_field(search_field.field_name)
        except Exception:  # a method or property declared as a search field
            model_field = None
        if model_field is not None and hasattr(model_field, "get_searchable_content"):
            parts.extend(str(text) for text in model_field.get_searchable_content(value))
        else:
            parts.append(str(value() if callable(value) else value))
    return " ".join(" ".join(strip_tags(part).split()) for part in parts if part)


def page_level(page: Page, restrictions: list) -> int | None:
    """The level an entry of this page needs, or None when it must not be indexed at all."""
    level = int(effective_access_level(page))
    for restriction_type, path in restrictions:
        if page.path.startswith(path):
            if restriction_type != PageViewRestriction.LOGIN:
                return None
            level = max(level, int(AccessLevel.MEMBERS))
    return level


def page_entries(pks: Iterable[int] | None) -> Iterator[SearchEntry]:
    pages = Page.objects.live().filter(depth__gt=1).select_related("locale")
    if pks is not None:
        pages = pages.filter(pk__in=list(pks))
    restrictions = list(PageViewRestriction.objects.values_list("restriction_type", "page__path"))
    for page in pages.specific().iterator(chunk_size=200):
        level = page_level(page, restrictions)
        if level is None:
            continue
        url = page.get_url()
        if not url:
            continue
        date = page.last_published_at or page.first_published_at
        yield SearchEntry(
            key=f"{PAGE_KIND}:{page.pk}",
            kind=PAGE_KIND,
            url=url,
            title=page.title,
            body=" ".join(part for part in (page.search_description, page_text(page)) if part),
            language=(page.locale.language_code or "")[:2],
            date=date,
            year=date.year if date else None,
            access_level=level,
        )


def page_and_descendants(page) -> list[int]:
    return list(Page.objects.filter(path__startswith=page.path).values_list("pk", flat=True))


def restricted_pages(restriction) -> list[int]:
    try:
        return page_and_descendants(restriction.page)
    except Page.DoesNotExist:
        return []


# --- member profiles ------------------------------------------------------------------------------------


def member_body(member: Member) -> str:
    shared = {field for field in Member.VISIBLE_FIELDS if member.visibility_of(field) in NETWORK_AUDIENCES}
    parts = []
    if "country" in shared and member.country:
        parts.append(str(member.country.name))
    if "police_service" in shared:
        parts.append(member.police_service)
    if "rank" in shared:
        parts.append(member.rank)
    if "missions" in shared:
        services = MissionService.objects.filter(member=member).select_related("mission")
        if member.hide_current_deployment:
            services = services.exclude(end_year__isnull=True)
        parts.extend(f"{service.mission.acronym} {service.mission.name}" for service in services)
    if "languages" in shared:
        parts.extend(language.name for language in member.languages.all())
    if "expertise" in shared:
        parts.extend(area.name for area in member.expertise.all())
    if "bio" in shared:
        parts.append(member.bio)
    return " · ".join(part for part in parts if part)


def member_entries(pks: Iterable[int] | None) -> Iterator[SearchEntry]:
    members = filter_listed_directory_members(Member.objects.select_related("user"))
    if pks is not None:
        members = members.filter(pk__in=list(pks))
    with translation.override(settings.LANGUAGE_CODE):
        for member in members.iterator(chunk_size=200):
            yield SearchEntry(
                key=f"{MEMBER_KIND}:{member.pk}",
                kind=MEMBER_KIND,
                url=reverse("network:member_profile", args=[member.public_id]),
                title=str(member.display_name),
                body=member_body(member),
                access_level=int(AccessLevel.NETWORK),
            )


def member_of_user(user) -> list[int]:
    return list(Member.objects.filter(user_id=user.pk).values_list("pk", flat=True))


def register() -> None:
    register_source(
        SearchSource(
            kind=PAGE_KIND,
            label=_("Pages"),
            entries=page_entries,
            watch={
                "wagtailcore.Page": page_and_descendants,
                "wagtailcore.PageViewRestriction": restricted_pages,
            },
            all_pks=lambda: Page.objects.filter(depth__gt=1).order_by("pk").values_list("pk", flat=True),
        )
    )
    register_source(
        SearchSource(
            kind=MEMBER_KIND,
            label=_("Members"),
            entries=member_entries,
            watch={
                "network.Member": lambda member: [member.pk],
                settings.AUTH_USER_MODEL: member_of_user,
                "network.MissionService": lambda service: [service.member_id],
            },
            all_pks=lambda: Member.objects.order_by("pk").values_list("pk", flat=True),
        )
    )
