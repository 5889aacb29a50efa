"""Forum posts in Chromium: every known XSS payload, rendered as a post, stays inert when the reader points
at, hovers and clicks everything in it."""

import html

import pytest
from playwright.sync_api import Dialog, Page

from forums.markup import render_markdown
from tests.forums.test_markup import PAYLOADS, resolve

pytestmark = pytest.mark.browser

# Our own script, the only one the page is meant to run: it records calls to print() (which opens no dialog
# Playwright could see) and, on a click, stops navigation to a safe URL so that the page stays loaded; a
# click on any other URL (javascript:, data:…) is let through so that it would run.
WATCHER = """
<script>
  window.__fired = [];
  window.print = (...args) => { window.__fired.push("print"); };
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a");
    if (!link) return;
    try {
      if (["http:", "https:", "mailto:"].includes(new URL(link.href).protocol)) event.preventDefault();
    } catch (error) {
      window.__fired.push("unparsable link " + link.getAttribute("href"));
    }
  }, true);
</script>
"""

EVENTS = """(element) => {
  for (const type of ["pointerover", "pointerenter", "mouseover", "mouseenter", "pointermove", "mousemove",
      "pointerdown", "mousedown", "focus", "focusin", "pointerup", "mouseup", "click", "dblclick",
      "contextmenu", "pointerout", "mouseout", "blur", "animationstart", "toggle"]) {
    element.dispatchEvent(new Event(type, {bubbles: true, cancelable: true}));
  }
}"""


def posts_page() -> str:
    posts = "\n".join(
        f'<article class="post" id="post-{number}">{render_markdown(payload, mention_url=resolve)}</article>'
        for number, payload in enumerate(PAYLOADS)
    )
    # A base address so that relative links resolve to https (about:blank resolves nothing).
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><base href="https://forum.example/">'
        f"<title>XSS payloads</title>{WATCHER}</head><body><h1>{html.escape('Posts')}</h1>{posts}</body></html>"
    )


def test_no_payload_runs_script_when_read_hovered_and_clicked(page: Page):
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    # Nothing leaves the machine: a payload that slipped through could not fetch its script either.
    page.route("**/*", lambda route: route.abort())
    page.set_content(posts_page(), wait_until="load")

    elements = page.locator("article.post *")
    count = elements.count()
    assert count > len(PAYLOADS)  # the posts did render (paragraphs, links, tables…)
    for index in range(count):
        element = elements.nth(index)
        element.evaluate(EVENTS)
        box = element.evaluate(
            "(element) => { element.scrollIntoView({block: 'center'}); const b = element.getBoundingClientRect();"
            " return b.width && b.height ? {x: b.x + b.width / 2, y: b.y + b.height / 2} : null; }"
        )
        if box:
            # Real pointer input too: a trusted hover and click at the element's centre.
            page.mouse.move(box["x"], box["y"])
            page.mouse.click(box["x"], box["y"])
    page.wait_for_timeout(300)

    assert page.url == "about:blank"  # no click navigated away
    assert dialogs == []
    assert page.evaluate("window.__fired") == []
