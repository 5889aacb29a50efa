"""The demo courses in English and French: the French site has the French translations of the 2011 pilots,
holding their French-language sessions, and seeding twice creates nothing twice."""

import datetime

import pytest
from wagtail.models import Page

from cms.demo import seed_content_pages
from events.demo import seed_events_demo
from events.models import CoursePage, Registration, Session

pytestmark = pytest.mark.django_db


def _counts():
    return Page.objects.count(), Session.objects.count(), Registration.objects.count()


def test_demo_has_the_french_pilots_on_the_french_site_once(client, site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seed_content_pages()
    seed_events_demo()
    counts = _counts()
    seed_events_demo()
    assert _counts() == counts

    sgbv = CoursePage.objects.get(slug="sgbv-train-the-trainer", locale__language_code="en")
    sgbv_fr = sgbv.get_translation(sgbv.locale.__class__.objects.get(language_code="fr")).specific
    assert sgbv_fr.title.startswith("Formation de formateurs")
    (kigali,) = Session.objects.filter(page=sgbv_fr)
    assert (kigali.language, kigali.label, kigali.starts_at.date()) == (
        "fr",
        "Kigali (en français)",
        datetime.date(2011, 8, 1),
    )
    # Each session is written once: the French run is on the French page only.
    assert not Session.objects.filter(page=sgbv, language="fr").exists()
    assert Session.objects.filter(page=sgbv).count() == 4

    toolkit_fr = CoursePage.objects.get(slug="boite-a-outils-genre-pilote", locale__language_code="fr")
    (lexington,) = Session.objects.filter(page=toolkit_fr)
    assert lexington.language == "fr" and lexington.starts_at.date() == datetime.date(2011, 8, 25)
    assert toolkit_fr.translation_key == CoursePage.objects.get(slug="gender-toolkit-pilot").translation_key

    html = client.get(sgbv_fr.url).content.decode()
    assert "Kigali (en français)" in html and "Formation de formateurs" in html
    index_fr = sgbv_fr.get_parent()
    html = client.get(index_fr.url, {"when": "past", "language": "fr"}).content.decode()
    assert "Formation pilote à la boîte à outils sur le genre" in html and "Kigali (en français)" in html
