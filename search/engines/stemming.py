"""A light stemmer for the SQLite engine, which has no French (nor, with diacritics folded, English) stemming
of its own: plural and feminine endings and a few common suffixes of both languages are cut, accents are
folded, so "formations", "formatrice" and "formation" meet. Far cruder than PostgreSQL's Snowball stemmers; it
only has to make the same word in its usual forms match."""

import unicodedata

from .text import WORD

# Longest first; a suffix is cut only if at least MIN_STEM letters remain.
SUFFIXES = (
    "issements",
    "issement",
    "atrices",
    "ations",
    "atrice",
    "ateurs",
    "ements",
    "ations",
    "ation",
    "ateur",
    "ement",
    "ments",
    "ities",
    "ingly",
    "tions",
    "trice",
    "ings",
    "ment",
    "ness",
    "tion",
    "eurs",
    "ives",
    "euse",
    "ees",
    "ies",
    "ing",
    "ers",
    "eur",
    "ive",
    "ity",
    "ed",
    "er",
    "es",
    "ee",
    "ly",
    "s",
    "x",
    "e",
)
MIN_STEM = 4


def fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def stem(word: str) -> str:
    word = fold(word)
    if "'" in word:
        word = word.rsplit("'", 1)[-1]
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def stems(text: str) -> str:
    """The stems of every word of the text, space separated."""
    return " ".join(stem(word) for word in WORD.findall(text or ""))
