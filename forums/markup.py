"""Forum posts: Markdown in, safe HTML out, plus the plain-text and quoting helpers built on the same parse.

Pure functions, no database. Members write CommonMark (with tables and strikethrough); raw HTML is never
passed through (markdown-it escapes it), and the rendered HTML is sanitised again by nh3 so that a bug in
either layer alone cannot let script into a post.
"""

import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

MAX_POST_LENGTH = 50_000

# A handle ends with a letter, digit or underscore so that "thanks @anna." leaves the full stop out.
_HANDLE = r"[A-Za-z0-9][A-Za-z0-9._-]{0,29}[A-Za-z0-9_]"
# Not after a word character, "@", "/" or "." (email addresses, paths), and not followed by more handle.
MENTION_RE = re.compile(rf"(?<![A-Za-z0-9_.@/+-])@({_HANDLE})(?![A-Za-z0-9_]|[.-][A-Za-z0-9_])")

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "span",
}  # fmt: skip
ALLOWED_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"

# The one sanitiser, built once (nh3's Cleaner is immutable and safe to share between threads). `class` is
# governed by allowed_classes alone, so only "mention" survives; `style` is never allowed.
_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes={"a": {"href", "title"}, "ol": {"start"}},
    allowed_classes={"a": {"mention"}, "span": {"mention"}},
    url_schemes=ALLOWED_SCHEMES,
    link_rel=LINK_REL,
    strip_comments=True,
)

MentionResolver = Callable[[str], str | None]


def _is_allowed_url(url: str) -> bool:
    """http, https, mailto or relative (no scheme at all)."""
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return False
    return scheme == "" or scheme in ALLOWED_SCHEMES


def _text_token(content: str) -> Token:
    return Token("text", "", 0, content=content)


def _inline_as_text(tokens: list[Token] | None) -> str:
    """The text an inline run reads as (an image's alt text, a link's label)."""
    parts = []
    for token in tokens or []:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(_inline_as_text(token.children))
    return "".join(parts)


def _merged_text(children: list[Token]) -> list[Token]:
    """Adjacent text tokens joined, so a mention split across two tokens is still seen as one."""
    merged: list[Token] = []
    for token in children:
        if token.type == "text" and merged and merged[-1].type == "text":
            merged[-1] = _text_token(merged[-1].content + token.content)
        else:
            merged.append(token)
    return merged


def _iter_mentionable_text(tokens: list[Token]) -> Iterator[tuple[Token, list[Token], int]]:
    """(inline token, its merged children, index) of every text token outside links; code spans and code
    blocks are separate token types and so never reach here."""
    for block in tokens:
        if block.type != "inline" or not block.children:
            continue
        children = _merged_text(block.children)
        block.children = children
        link_depth = 0
        for index, token in enumerate(children):
            if token.type == "link_open":
                link_depth += 1
            elif token.type == "link_close":
                link_depth -= 1
            elif token.type == "text" and link_depth == 0:
                yield block, children, index


def _demote_headings(state: StateCore) -> None:
    # Posts sit under the page's own h1.
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"


def _images_to_links(state: StateCore) -> None:
    # Third-party images would tell their host who reads the forum: an image becomes a link to it.
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        replaced: list[Token] = []
        link_depth = 0
        for token in block.children:
            if token.type == "link_open":
                link_depth += 1
            elif token.type == "link_close":
                link_depth -= 1
            if token.type != "image":
                replaced.append(token)
                continue
            src = str(token.attrGet("src") or "")
            label = _inline_as_text(token.children) or src
            if link_depth or not src or not _is_allowed_url(src):
                # Inside a link already (no nested links), or a URL we would not link to: the alt text only.
                replaced.append(_text_token(label))
                continue
            link_open = Token("link_open", "a", 1, attrs={"href": src})
            replaced += [link_open, _text_token(label), Token("link_close", "a", -1)]
        block.children = replaced


def _link_mentions(state: StateCore) -> None:
    resolver: MentionResolver | None = state.env.get("mention_url")
    if resolver is None:
        return
    resolved: dict[str, str | None] = {}  # one call per handle, however often she is mentioned
    for block, children, index in reversed(list(_iter_mentionable_text(state.tokens))):
        text = children[index].content
        pieces: list[Token] = []
        position = 0
        for match in MENTION_RE.finditer(text):
            handle = match.group(1).lower()
            if handle not in resolved:
                resolved[handle] = resolver(handle)
            href = resolved[handle]
            if not href:
                continue
            if match.start() > position:
                pieces.append(_text_token(text[position : match.start()]))
            pieces += [
                Token("link_open", "a", 1, attrs={"href": href, "class": "mention"}),
                _text_token(match.group(0)),
                Token("link_close", "a", -1),
            ]
            position = match.end()
        if not pieces:
            continue
        if position < len(text):
            pieces.append(_text_token(text[position:]))
        children[index : index + 1] = pieces
        block.children = children


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(["table", "strikethrough"])
    md.core.ruler.push("forums_demote_headings", _demote_headings)
    md.core.ruler.push("forums_images_to_links", _images_to_links)
    md.core.ruler.push("forums_mentions", _link_mentions)
    return md


_MD = _markdown()


def render_markdown(text: str, *, mention_url: MentionResolver | None = None) -> str:
    """A post's Markdown as sanitised HTML.

    `mention_url(handle)` receives each distinct mentioned handle, lowercased, and returns the URL of her
    profile or None (the mention then stays plain text).
    """
    html = _MD.render(text or "", {"mention_url": mention_url})
    return _CLEANER.clean(html)


def extract_mentions(text: str) -> list[str]:
    """The distinct handles a post mentions, lowercased, in the order they first appear (not those in code
    or inside links, not email addresses)."""
    handles: dict[str, None] = {}
    for _block, children, index in _iter_mentionable_text(_MD.parse(text or "")):
        for match in MENTION_RE.finditer(children[index].content):
            handles.setdefault(match.group(1).lower(), None)
    return list(handles)


_BLOCK_ENDS = {
    "paragraph_close", "heading_close", "blockquote_close", "bullet_list_close", "ordered_list_close", "table_close",
}  # fmt: skip


def plain_text(text: str) -> str:
    """A post as plain text, without markup (search indexing, email digests). Link labels and image alt
    text are kept, URLs are not."""
    out: list[str] = []
    for token in _MD.parse(text or ""):
        if token.type == "inline":
            out.append(_inline_as_text_with_breaks(token.children))
        elif token.type in ("fence", "code_block"):
            out.append(token.content.rstrip("\n") + "\n\n")
        elif token.type in _BLOCK_ENDS and not token.hidden:  # a tight list's paragraphs are hidden
            out.append("\n\n")
        elif token.type == "list_item_close" or token.type == "tr_close":
            out.append("\n")
        elif token.type in ("th_close", "td_close"):
            out.append("\t")
        elif token.type == "hr":
            out.append("\n")
    lines = [line.rstrip() for line in "".join(out).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _inline_as_text_with_breaks(tokens: list[Token] | None) -> str:
    parts = []
    for token in tokens or []:
        if token.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        else:
            parts.append(_inline_as_text([token]))
    return "".join(parts)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~&])")


def quote_markdown(author_name: str, text: str) -> str:
    """The Markdown a "quote reply" starts with: the post in a blockquote under "**Name** wrote:", followed
    by a blank line for the reply."""
    name = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(author_name.split()))
    lines = (text or "").strip("\n").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in lines)
    return f"> **{name}** wrote:\n>\n{quoted}\n\n"
