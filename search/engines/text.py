"""Text helpers every database engine shares: user text made plain data, highlight markers, safe snippets."""

import html
import re

# Highlight markers: private-use characters stripped from every indexed text, so after a snippet is
# HTML-escaped they are the only places a <mark> can appear.
MARK_START = "\ue000"
MARK_END = "\ue001"
_UNSAFE_CHARACTERS = re.compile("[\x00\ue000\ue001]")
MAX_QUERY_LENGTH = 500
MAX_PER_PAGE = 100
MAX_PAGE = 500  # deeper pages are no search anyone reads; it also bounds OFFSET
WORD = re.compile(r"\w+", re.UNICODE)


def clean_text(text: str) -> str:
    """Drop NUL and the highlight markers, so indexed text can never fake a highlight."""
    return _UNSAFE_CHARACTERS.sub("", text or "")


def clean_query_text(text: str) -> str:
    """User text as plain data: NUL and control characters removed, whitespace collapsed, length capped."""
    text = "".join(character if character.isprintable() else " " for character in text or "")
    text = _UNSAFE_CHARACTERS.sub("", text)
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def query_words(text: str) -> list[str]:
    """The words of the query (punctuation and query syntax dropped), in order, without repeats."""
    seen: dict[str, None] = {}
    for word in WORD.findall(clean_query_text(text)):
        word = word.replace("_", "")
        if word:
            seen.setdefault(word, None)
    return list(seen)


def safe_highlight(fragment: str) -> str:
    """HTML-escape a highlighted fragment, then turn our markers (only ours can be there) into <mark>."""
    escaped = html.escape(fragment or "", quote=True)
    return escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def page_window(page: int, per_page: int) -> tuple[int, int]:
    size = max(1, min(int(per_page), MAX_PER_PAGE))
    page = max(1, min(int(page), MAX_PAGE))
    return (page - 1) * size, size
