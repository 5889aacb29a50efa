"""Forum posts' Markdown: known XSS payloads render harmless, and the Markdown members write renders as
they expect (links, headings, tables, code, mentions, images as links)."""

import base64
import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from forums.markup import (
    ALLOWED_TAGS,
    MAX_POST_LENGTH,
    extract_mentions,
    plain_text,
    quote_markdown,
    render_markdown,
)

PAYLOADS_FILE = Path(__file__).with_name("xss_payloads.txt")
ESCAPES = {"\\u0000": "\x00", "\\u0009": "\t", "\\u000a": "\n", "\\u000d": "\r"}


def load_payloads() -> list[str]:
    payloads = []
    for line in PAYLOADS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        for escape, character in ESCAPES.items():
            line = line.replace(escape, character)
        payloads.append(line)
    return payloads


PAYLOADS = load_payloads()
MEMBERS = {"anna": "/en/members/anna/", "bob.smith": "/en/members/bob.smith/"}


def resolve(handle: str) -> str | None:
    return MEMBERS.get(handle)


class Elements(HTMLParser):
    """Every start tag of a fragment with its attributes, as a browser's tokenizer would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def elements(fragment: str) -> list[tuple[str, dict[str, str]]]:
    parser = Elements()
    parser.feed(fragment)
    parser.close()
    return parser.elements


C0_CONTROLS_AND_SPACE = "".join(chr(code) for code in range(0x21))


def url_scheme(url: str) -> str:
    """The scheme a browser would read, as the URL standard parses it: leading and trailing C0 controls and
    spaces trimmed, tabs and newlines removed anywhere; without a valid scheme the URL is relative."""
    squeezed = re.sub(r"[\t\n\r]", "", html.unescape(url)).strip(C0_CONTROLS_AND_SPACE)
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", squeezed)
    return match.group(1).lower() if match else ""


def would_fire(payload: str) -> bool:
    decoded = unquote(html.unescape(html.unescape(payload)))
    for chunk in re.findall(r"base64,([A-Za-z0-9+/=]+)", payload):
        decoded += base64.b64decode(chunk + "=" * (-len(chunk) % 4)).decode("utf-8", "replace")
    return bool(re.search(r"\b(alert|confirm|prompt|print|msgbox)\(", decoded))


def test_payload_list_is_long_and_every_payload_would_open_a_dialog():
    assert len(PAYLOADS) >= 60
    assert [payload for payload in PAYLOADS if not would_fire(payload)] == []


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_payload_renders_harmless(payload):
    rendered = render_markdown(payload, mention_url=resolve)

    assert "<script" not in rendered.lower()
    for tag, attributes in elements(rendered):
        assert tag in ALLOWED_TAGS, f"<{tag}> in {rendered!r}"
        assert tag not in {"iframe", "object", "embed", "svg", "math", "style", "img", "script"}
        for name, value in attributes.items():
            assert not name.startswith("on"), f"{name}= in {rendered!r}"
            assert name not in {"style", "src", "srcdoc", "formaction", "action", "background", "xlink:href"}
            if name == "class":
                assert value == "mention"
            if name in {"href", "src"}:
                assert url_scheme(value) in {"", "http", "https", "mailto"}, f"{value!r} in {rendered!r}"
    # Nor inside any tag the parser might have read differently (escaped text has no "<", so only real tags
    # are searched).
    assert not re.search(r"<[^>]*\son\w+\s*=", rendered, re.IGNORECASE)
    assert not re.search(r"<[^>]*\s(href|src)\s*=\s*[\"']?\s*(javascript|vbscript|data):", rendered, re.IGNORECASE)


def test_links_get_nofollow_ugc_noopener():
    rendered = render_markdown("[site](https://example.org) and <https://example.com/x>")
    links = [attributes for tag, attributes in elements(rendered) if tag == "a"]
    assert [link["href"] for link in links] == ["https://example.org", "https://example.com/x"]
    assert all(link["rel"] == "nofollow ugc noopener" for link in links)


def test_relative_and_mailto_links_are_kept():
    rendered = render_markdown("[topic](/en/forums/topic/3/) [write](mailto:anna@example.org)")
    assert [attributes["href"] for tag, attributes in elements(rendered) if tag == "a"] == [
        "/en/forums/topic/3/",
        "mailto:anna@example.org",
    ]


def test_javascript_link_is_not_a_link():
    rendered = render_markdown("[click](javascript:alert(1))")
    assert "href" not in rendered


def test_h1_is_demoted_to_h2_and_other_headings_kept():
    rendered = render_markdown("# One\n\n## Two\n\n### Three\n\nSetext\n======")
    assert [tag for tag, _ in elements(rendered)] == ["h2", "h2", "h3", "h2"]
    assert "<h1" not in rendered


def test_tables_render_without_style():
    rendered = render_markdown("| Mission | Year |\n|:--|--:|\n| MINUSMA | 2013 |")
    assert [tag for tag, _ in elements(rendered)] == ["table", "thead", "tr", "th", "th", "tbody", "tr", "td", "td"]
    assert "<td>2013</td>" in rendered
    assert "style" not in rendered


def test_code_spans_and_blocks_escape_their_content():
    rendered = render_markdown("Use `<b>` here.\n\n```python\nif a < b:\n    print('<hi>')\n```")
    assert "<code>&lt;b&gt;</code>" in rendered
    assert "<pre><code>if a &lt; b:\n    print('&lt;hi&gt;')\n</code></pre>" in rendered
    assert "language-python" not in rendered  # no class attributes


def test_emphasis_strikethrough_lists_and_quotes():
    rendered = render_markdown("**bold** *it* ~~gone~~\n\n- one\n- two\n\n3. three\n\n> quoted")
    assert "<strong>bold</strong> <em>it</em> <s>gone</s>" in rendered
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in rendered
    assert '<ol start="3">' in rendered
    assert "<blockquote>\n<p>quoted</p>\n</blockquote>" in rendered


def test_raw_html_is_shown_as_text():
    assert render_markdown("<b>hi</b>") == "<p>&lt;b&gt;hi&lt;/b&gt;</p>\n"


def test_mention_is_linked_when_the_resolver_knows_the_handle():
    rendered = render_markdown("Thanks @Anna and @nobody.", mention_url=resolve)
    assert '<a href="/en/members/anna/" class="mention" rel="nofollow ugc noopener">@Anna</a>' in rendered
    assert "@nobody." in rendered
    assert rendered.count("<a") == 1


def test_mentions_stay_plain_without_a_resolver():
    assert render_markdown("hi @anna") == "<p>hi @anna</p>\n"


def test_handle_may_contain_dots_but_not_end_with_the_full_stop():
    rendered = render_markdown("ask @bob.smith.", mention_url=resolve)
    assert '<a href="/en/members/bob.smith/" class="mention" rel="nofollow ugc noopener">@bob.smith</a>.' in rendered


def test_mentions_in_code_links_and_email_addresses_are_ignored():
    text = "`@anna`\n\n```\n@anna\n```\n\n    @anna\n\n[@anna](/x) write to bob@anna.org"
    rendered = render_markdown(text, mention_url=resolve)
    assert "mention" not in rendered
    assert extract_mentions(text) == []


def test_resolver_is_asked_once_per_handle():
    asked = []

    def counting(handle):
        asked.append(handle)
        return None

    render_markdown("@anna @Anna @anna @bob.smith", mention_url=counting)
    assert asked == ["anna", "bob.smith"]


def test_unsafe_mention_url_is_dropped():
    rendered = render_markdown("@anna", mention_url=lambda handle: "javascript:alert(1)")
    assert "javascript" not in rendered


def test_image_becomes_a_link_to_its_url_with_its_alt_text():
    rendered = render_markdown("![Training in *Bamako*](https://example.org/photo.jpg)")
    assert rendered == (
        '<p><a href="https://example.org/photo.jpg" rel="nofollow ugc noopener">Training in Bamako</a></p>\n'
    )


def test_image_inside_a_link_keeps_only_its_alt_text():
    rendered = render_markdown("[![logo](https://example.org/logo.png)](https://example.org)")
    assert rendered == '<p><a href="https://example.org" rel="nofollow ugc noopener">logo</a></p>\n'


def test_image_with_unsafe_url_keeps_only_its_alt_text():
    assert render_markdown("![x](data:image/png;base64,iVBORw0KGgo=)") == "<p>x</p>\n"


def test_extract_mentions_lists_distinct_lowercased_handles_in_order():
    text = "@Zoe and @anna, then @ANNA again, mail zoe@example.org, `@code` and @bob.smith."
    assert extract_mentions(text) == ["zoe", "anna", "bob.smith"]


def test_extract_mentions_ignores_too_short_handles():
    assert extract_mentions("@a @ab") == ["ab"]


def test_plain_text_drops_markup_and_keeps_the_words():
    text = "# Title\n\nSome **bold** and [a link](https://example.org).\n\n- one\n- two\n\n```\ncode <b>\n```"
    assert plain_text(text) == "Title\n\nSome bold and a link.\n\none\ntwo\n\ncode <b>"


def test_plain_text_of_an_image_is_its_alt_text():
    assert plain_text("![A photo](https://example.org/a.jpg)") == "A photo"


def test_quote_markdown_quotes_every_line_under_the_author():
    quoted = quote_markdown("Anna Smith", "First line\n\nSecond *line*")
    assert quoted == "> **Anna Smith** wrote:\n>\n> First line\n>\n> Second *line*\n\n"


def test_quote_markdown_renders_the_post_inside_a_blockquote():
    post = "Hello\n\n- a\n- b\n\n| x |\n|---|\n| 1 |"
    rendered = render_markdown(quote_markdown("Anna", post))
    assert rendered.startswith("<blockquote>\n<p><strong>Anna</strong> wrote:</p>\n")
    assert render_markdown(post) in rendered


def test_quote_markdown_round_trips_to_the_original_text():
    post = "Line one\n\n> an earlier quote\n\n    code"
    quoted = quote_markdown("Anna", post)
    lines = quoted.rstrip("\n").split("\n")[2:]
    assert "\n".join(line[2:] if line.startswith("> ") else "" for line in lines) == post


def test_quote_markdown_escapes_markup_in_the_name():
    rendered = render_markdown(quote_markdown("*Eve* <script>", "hi"))
    assert "<strong>*Eve* &lt;script&gt;</strong> wrote:" in rendered


def test_max_post_length():
    assert MAX_POST_LENGTH == 50_000
    assert render_markdown("a" * MAX_POST_LENGTH).startswith("<p>aaa")
