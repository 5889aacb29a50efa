"""Registries the apps fill: the sections of the members' area and the panels of the Community of Practice home.

`network` imports none of the apps. Each app registers, in its own `areas.py` (found through
`autodiscover_modules`, as Wagtail finds `wagtail_hooks.py`), a function that receives the request and
returns what this person sees, or None when the section has nothing to say to her:

    @register_member_section(order=40)
    def forums_section(request) -> Section | None:
        if not has_access_level(request.user, AccessLevel.COMMUNITY):
            return Section(key="forums", title=_("Forums"), unavailable=_("Open to ..."))
        return Section(key="forums", title=_("Forums"), url=reverse(...), summary=..., count=3, count_label=...)

    @register_community_panel(order=20)
    def latest_topics(request) -> Panel | None:
        return Panel(key="forums", title=_("Latest discussions"), url=..., items=[Item(...), ...])

A section whose feature the person may not use carries `unavailable` (one line saying why) and no URL
nor count: nothing restricted is counted for someone who cannot open it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Item:
    """One line of a panel: a topic, a document, an event."""

    title: str
    url: str
    meta: str = ""


@dataclass(frozen=True)
class Section:
    """One block of the members' area."""

    key: str
    title: str
    url: str | None = None
    link_text: str = ""
    summary: str = ""
    count: int | None = None
    count_label: str = ""
    unavailable: str = ""
    items: list[Item] = field(default_factory=list)

    def __post_init__(self):
        if self.unavailable and (self.url or self.count):
            raise ValueError("An unavailable section carries neither a link nor a count.")


@dataclass(frozen=True)
class Panel:
    """One block of the Community of Practice home."""

    key: str
    title: str
    summary: str = ""
    url: str | None = None
    link_text: str = ""
    items: list[Item] = field(default_factory=list)
    empty_text: str = ""


SectionFunction = Callable[[HttpRequest], Section | None]
PanelFunction = Callable[[HttpRequest], Panel | None]
# A block of a member's profile page: receives the request and the member whose profile it is.
ProfilePanelFunction = Callable[[HttpRequest, object], Panel | None]

_SECTIONS: dict[str, tuple[int, SectionFunction]] = {}
_PANELS: dict[str, tuple[int, PanelFunction]] = {}
_PROFILE_PANELS: dict[str, tuple[int, ProfilePanelFunction]] = {}
_discovered = False


def _registrar(registry: dict, order: int):
    def register(function):
        registry[f"{function.__module__}.{function.__qualname__}"] = (order, function)
        return function

    return register


def register_member_section(*, order: int) -> Callable[[SectionFunction], SectionFunction]:
    return _registrar(_SECTIONS, order)


def register_community_panel(*, order: int) -> Callable[[PanelFunction], PanelFunction]:
    return _registrar(_PANELS, order)


def register_profile_panel(*, order: int) -> Callable[[ProfilePanelFunction], ProfilePanelFunction]:
    """A block of a member's profile (her forum posts, her events…): only what the viewer may read."""
    return _registrar(_PROFILE_PANELS, order)


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("areas")
        _discovered = True


def _collect(registry: dict, request: HttpRequest, *args) -> list:
    _discover()
    results = []
    for _order, function in sorted(registry.values(), key=lambda entry: entry[0]):
        result = function(request, *args)
        if result is not None:
            results.append(result)
    return results


def member_sections(request: HttpRequest) -> list[Section]:
    """The members' area for this request's user, in order."""
    return _collect(_SECTIONS, request)


def community_panels(request: HttpRequest) -> list[Panel]:
    """The Community of Practice home for this request's user, in order."""
    return _collect(_PANELS, request)


def profile_panels(request: HttpRequest, member) -> list[Panel]:
    """The blocks the apps add to `member`'s profile, for this request's user, in order."""
    return _collect(_PROFILE_PANELS, request, member)
