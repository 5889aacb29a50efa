"""Every French page of the demo shows the French of what editors and the reference lists hold, never the
English text stored beside it."""

import html
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from wagtail.models import Page

from campaigns.models import Campaign, StatisticSeries, Target
from network.models import ExpertiseArea, Language, User

pytestmark = pytest.mark.django_db


def _english_texts() -> dict[str, str]:
    """English text from the database → where it comes from, for each text whose French differs."""
    texts: dict[str, str] = {}

    def add(english: str, french: str, where: str) -> None:
        if english and french and english != french:
            texts[english] = where

    for campaign in Campaign.objects.all():
        add(campaign.title, campaign.title_fr, f"campaign {campaign.slug} title")
        add(campaign.summary, campaign.summary_fr, f"campaign {campaign.slug} summary")
    for target in Target.objects.all():
        add(target.title, target.title_fr, f"target {target.pk} title")
    for series in StatisticSeries.objects.all():
        add(series.title, series.title_fr, f"statistic series {series.pk} title")
        add(series.source, series.source_fr, f"statistic series {series.pk} source")
    with translation.override("fr"):
        for area in ExpertiseArea.objects.all():
            add(area.name, str(area), f"area of expertise {area.slug}")
        # The language switcher names each site language in its own tongue ("English"): not a leak.
        for language in Language.objects.exclude(code__in=[code for code, _name in settings.LANGUAGES]):
            add(language.name, str(language), f"language {language.code}")
    return texts


def _french_addresses() -> list[str]:
    addresses = [page.url for page in Page.objects.live().filter(locale__language_code="fr", depth__gt=1)]
    for campaign in Campaign.objects.all():
        addresses.append(f"/fr/campaigns/{campaign.slug}/")
        addresses += [
            f"/fr/campaigns/{campaign.slug}/targets/{pk}/" for pk in campaign.targets.values_list("pk", flat=True)
        ]
    return ["/fr/campaigns/", "/fr/members/directory/", "/fr/members/directory/?per_page=100", *addresses]


def _visible_text(body: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_french_pages_of_the_demo_show_no_english_text_from_the_database(client):
    call_command("seed_demo", quiet_passwords=True)
    english = _english_texts()
    assert len(english) >= 20, "the demo writes its campaigns, targets and series in both languages"
    # A network member sees the members' pages too; pages above her level are not the point here.
    client.force_login(User.objects.get(email="amina.diallo@example.org"))
    found, read = {}, 0
    for address in _french_addresses():
        response = client.get(address)
        if response.status_code != 200:
            continue
        read += 1
        text = _visible_text(response.content.decode())
        leaks = [f"{where}: {value!r}" for value, where in english.items() if value in text]
        if leaks:
            found[address] = leaks
    translation.activate("en")
    assert read >= 20, "the walk read the demo's French pages"
    assert not found, found
