"""The text the directory's name search looks in: plain functions, also used by a migration.

A member is found by her name and by the fields she shares with the network (country, police service, rank),
whatever the accents and case of the search: "lucia" finds "Lucía", "senegal" finds "Sénégal". The text is
stored on the member (Member.directory_search), folded the same way as the search terms, so SQLite and
PostgreSQL search it with a plain LIKE, which PostgreSQL answers from a trigram index.
"""

import unicodedata

from django.conf import settings
from django.utils import translation
from django_countries import countries

# The audiences that let network members (the directory's only users) see a field.
NETWORK_AUDIENCES = frozenset({"network", "members"})


def fold(text: str) -> str:
    """Lower case without accents: "Lucía Núñez" → "lucia nunez"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def country_names(code: str) -> list[str]:
    """The country's name in every language of the site, so a French search finds an English-named country."""
    names = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names.append(str(countries.name(code)))
    return list(dict.fromkeys(names))


def directory_search_text(
    first_name: str, last_name: str, *, country: str, police_service: str, rank: str, visibility: dict
) -> str:
    """Names, then each of country, police service and rank that the member shares with the network."""
    shared = {field for field, audience in (visibility or {}).items() if audience in NETWORK_AUDIENCES}
    parts = [first_name, last_name]
    if country and "country" in shared:
        parts += country_names(country)
    if "police_service" in shared:
        parts.append(police_service)
    if "rank" in shared:
        parts.append(rank)
    return " ".join(fold(part) for part in parts if part)
