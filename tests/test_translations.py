"""The French catalogue of our own UI strings stays complete, compiled and in use.

polib is not a dependency, so the .po file is read by the small parser below (enough for the files that
makemessages writes), and the .mo file by the standard library's gettext.
"""

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUE_DIR = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"
PO_FILE = CATALOGUE_DIR / "django.po"
MO_FILE = CATALOGUE_DIR / "django.mo"

PO_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
# Python-format placeholders (%(name)s, %s, %d…) and str.format-style ones ({name}, {0}).
PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[-#0 +]*\d*(?:\.\d+)?[sdifr]|\{\w*\}")


def placeholders(text: str) -> set[str]:
    # "%%" is a literal percent sign: "40 %% du" must not read as the placeholder "% d".
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}|{self.msgid}"

    @property
    def is_translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), f"not a PO string: {text!r}"
    return re.sub(r"\\(.)", lambda m: PO_ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """Entries of a .po file in order, the header (empty msgid) first; obsolete (#~) entries are skipped."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int | None] | None = None  # the keyword a continuation line belongs to
    started = False

    def finish():
        nonlocal entry, started, target
        if started:
            entries.append(entry)
        entry, started, target = Entry(), False, None

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            if started and entry.msgstr:  # a new entry's comments without a blank line before them
                finish()
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            if started and entry.msgstr:
                finish()
        elif line.startswith('"'):
            assert target is not None, f"continuation line outside an entry in {path}: {line!r}"
            keyword, index = target
            if keyword == "msgstr":
                entry.msgstr[index] += _unquote(line)
            else:
                setattr(entry, keyword, getattr(entry, keyword) + _unquote(line))
        else:
            keyword, _, value = line.partition(" ")
            if keyword in ("msgctxt", "msgid") and entry.msgstr:
                finish()
            started = True
            plural_form = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if plural_form:
                target = ("msgstr", int(plural_form.group(1)))
                entry.msgstr[target[1]] = _unquote(value)
            elif keyword == "msgstr":
                target = ("msgstr", 0)
                entry.msgstr[0] = _unquote(value)
            elif keyword in ("msgctxt", "msgid", "msgid_plural"):
                target = (keyword, None)
                setattr(entry, keyword, _unquote(value))
            else:
                raise AssertionError(f"unexpected line in {path}: {line!r}")
    finish()
    return entries


def _messages() -> list[Entry]:
    return [entry for entry in parse_po(PO_FILE) if entry.msgid]


def _header() -> dict[str, str]:
    header = next(entry for entry in parse_po(PO_FILE) if not entry.msgid)
    return dict(line.split(": ", 1) for line in header.msgstr[0].splitlines() if ": " in line)


def test_french_catalogue_has_messages():
    # Guards the tests below against passing on an empty or unparsed file.
    assert len(_messages()) > 50


def test_french_catalogue_header_names_language_and_plural_rule():
    header = _header()
    assert header["Language"] == "fr"
    assert header["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    assert "fuzzy" not in next(entry for entry in parse_po(PO_FILE) if not entry.msgid).flags


def test_every_french_message_is_translated():
    untranslated = [entry.label for entry in _messages() if not entry.is_translated]
    assert not untranslated, f"{len(untranslated)} untranslated msgid(s) in {PO_FILE}: {untranslated}"


def test_no_french_message_is_fuzzy():
    fuzzy = [entry.label for entry in _messages() if "fuzzy" in entry.flags]
    assert not fuzzy, f"{len(fuzzy)} fuzzy msgid(s) in {PO_FILE} (check, then remove the flag): {fuzzy}"


def test_french_translations_keep_the_placeholders():
    # A placeholder missing or renamed in French makes the page crash (KeyError) or show the wrong value.
    mismatched = []
    for entry in _messages():
        sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
        expected = set().union(*(placeholders(source) for source in sources))
        for translation in entry.msgstr.values():
            # Plural forms may leave out the count (e.g. "une mission" for n=1), never add a placeholder.
            found = placeholders(translation)
            if found - expected or (entry.msgid_plural is None and found != expected):
                mismatched.append(f"{entry.label!r}: {sorted(expected)} → {translation!r}")
    assert not mismatched, "placeholders differ between msgid and msgstr:\n" + "\n".join(mismatched)


def test_compiled_french_catalogue_matches_po_file():
    """Catches a .po edit without `manage.py compilemessages` (the .mo is committed)."""
    assert MO_FILE.exists(), f"{MO_FILE} is missing: run manage.py compilemessages --locale fr"
    with MO_FILE.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for entry in _messages():
        if not entry.is_translated or "fuzzy" in entry.flags:
            continue  # reported by the tests above; msgfmt leaves these out on purpose
        if entry.msgid_plural is None:
            if entry.msgctxt is None:
                got = compiled.gettext(entry.msgid)
            else:
                got = compiled.pgettext(entry.msgctxt, entry.msgid)
            if got != entry.msgstr[0]:
                stale.append(f"{entry.label!r}: .po {entry.msgstr[0]!r}, .mo {got!r}")
            continue
        for index, expected in entry.msgstr.items():
            n = next(n for n in range(1000) if compiled.plural(n) == index)
            if entry.msgctxt is None:
                got = compiled.ngettext(entry.msgid, entry.msgid_plural, n)
            else:
                got = compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
            if got != expected:
                stale.append(f"{entry.label!r}[{index}]: .po {expected!r}, .mo {got!r}")
    assert not stale, (
        f"{MO_FILE} is out of date with {PO_FILE} (run manage.py compilemessages --locale fr):\n" + "\n".join(stale)
    )


@pytest.mark.parametrize(
    ("path", "shown", "not_shown"),
    [
        ("/fr/", ["Aller au contenu principal", "Rejoindre le Réseau"], ["Skip to main content", "Join the network"]),
        ("/en/", ["Skip to main content", "Join the network"], ["Aller au contenu principal", "Rejoindre le Réseau"]),
    ],
)
def test_home_page_shows_interface_in_language_of_its_url(client, site, path, shown, not_shown):
    response = client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{path.strip("/")}">' in html
    for text in shown:
        assert text in html
    for text in not_shown:
        assert text not in html
