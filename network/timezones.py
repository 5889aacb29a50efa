"""The time zone times are shown in to a person: the one she chose in her profile, else a guess from her country.

The guess reads the tz database's own table of zones by country (tzdata's `zone.tab`): the first zone listed
for a country is its most populous one, which is the best single guess for a country with several zones.
"""

import functools
import zoneinfo
from importlib import resources
from zoneinfo import ZoneInfo

from django.conf import settings

DEFAULT_TIME_ZONE = "UTC"


@functools.cache
def available_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_valid_time_zone(name: str) -> bool:
    return bool(name) and name in available_time_zones()


@functools.cache
def time_zone_choices() -> list[tuple[str, str]]:
    """Every zone by name ("Africa/Kigali"), sorted, for a select."""
    return [(name, name.replace("_", " ")) for name in sorted(available_time_zones()) if "/" in name or name == "UTC"]


@functools.cache
def _zones_by_country() -> dict[str, str]:
    """{ISO country code: its first zone} from zone.tab (zone1970.tab lists several countries per row)."""
    zones: dict[str, str] = {}
    try:
        text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):  # pragma: no cover -- tzdata is a dependency
        return zones
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) >= 3:
            zones.setdefault(parts[0].upper(), parts[2])
    return zones


def country_time_zone(country_code: str) -> str:
    """The zone guessed for a country ("RW" → "Africa/Kigali"); the site's zone when unknown."""
    return _zones_by_country().get((country_code or "").upper(), settings.TIME_ZONE or DEFAULT_TIME_ZONE)


def user_time_zone_name(user) -> str:
    chosen = getattr(user, "time_zone", "") if user is not None and user.is_authenticated else ""
    if is_valid_time_zone(chosen):
        return chosen
    from network.permissions import get_member

    member = get_member(user) if user is not None and user.is_authenticated else None
    country = member.country.code if member is not None and member.country else ""
    return country_time_zone(country) if country else (settings.TIME_ZONE or DEFAULT_TIME_ZONE)


def user_time_zone(user) -> ZoneInfo:
    """The zone to show times in to `user` (anonymous visitors: the site's zone)."""
    return ZoneInfo(user_time_zone_name(user))
