"""The search page as a visitor uses it: bad input is a message, never an error; results, facets, snippets,
pages and suggestions only from what the visitor may see."""

import pytest

from network.choices import AccessLevel
from search.engines import database_engine
from search.engines.base import SearchEntry

pytestmark = pytest.mark.django_db

URL = "/en/search/"


def index(*entries):
    database_engine().index(entries)


def doc(number, title, body, **fields):
    return SearchEntry(
        key=f"document:{number}", kind="document", url=f"/en/library/{number}/", title=title, body=body, **fields
    )


@pytest.mark.parametrize(
    "text", ["a;b", '"', "'", '"unclosed quote', "*", "title:x", ":", "AND", "a AND OR NOT", "%00", "\x00", "--", "🙂"]
)
def test_query_syntax_never_breaks_the_page(client, site, text):
    response = client.get(URL, {"q": text})
    assert response.status_code == 200


def test_a_null_character_is_refused_with_a_message(client, site):
    response = client.get(URL, {"q": "police\x00"})
    assert response.status_code == 200
    assert b'role="alert"' in response.content


def test_a_query_of_2000_characters_gets_a_clear_message_and_keeps_the_text(client, site):
    response = client.get(URL, {"q": "x" * 2_000})
    assert response.status_code == 200
    assert "Please use at most 200 characters (you typed 2000)." in response.content.decode()
    assert ("x" * 2_000).encode() in response.content


def test_an_empty_query_prompts(client, site):
    response = client.get(URL)
    assert response.status_code == 200
    assert b"Type a few words" in response.content
    assert b"results" not in response.content.split(b"<main")[-1].lower() or b"0 results" not in response.content


def test_results_with_highlights_facets_and_only_visible_entries(client, site):
    index(
        doc(1, "SGBV curriculum", "The curriculum for <b>investigators</b>", document_type="curriculum", year=2011),
        doc(2, "Secret curriculum", "Wombatword curriculum", access_level=AccessLevel.COMMUNITY, year=2020),
    )
    response = client.get(URL, {"q": "curriculum"})
    content = response.content.decode()
    assert "SGBV curriculum" in content
    assert "<mark>curriculum</mark>" in content
    assert "&lt;b&gt;investigators&lt;/b&gt;" in content or "investigators" in content
    assert "<b>investigators</b>" not in content
    assert "Secret curriculum" not in content and "Wombatword" not in content
    assert "1 result" in content
    assert 'name="year" value="2011"' in content and 'value="2020"' not in content


def test_facet_choice_narrows(client, site):
    index(doc(3, "Guidance one", "common", year=2011), doc(4, "Guidance two", "common", year=2012))
    content = client.get(URL, {"q": "common", "year": "2012"}).content.decode()
    assert "Guidance two" in content and "Guidance one" not in content
    assert 'value="2012" id="facet-year-0" checked' in content


def test_pagination_links_keep_query_and_choices(client, site):
    index(*(doc(10 + n, f"Report {n}", "paginated", year=2015) for n in range(25)))
    first = client.get(URL, {"q": "paginated", "year": "2015"}).content.decode()
    assert "page=2" in first and "year=2015" in first
    second = client.get(URL, {"q": "paginated", "year": "2015", "page": "2"}).content.decode()
    assert second.count("<h3>") == 5
    assert client.get(URL, {"q": "paginated", "page": "abc"}).status_code == 200
    assert client.get(URL, {"q": "paginated", "page": "99999"}).status_code == 200


def test_did_you_mean(client, site):
    index(doc(40, "Mentoring programme", "mentoring programme for officers"))
    content = client.get(URL, {"q": "mentorng"}).content.decode()
    assert "Did you mean" in content and "q=mentoring" in content


def test_library_search_is_the_search_with_documents_only(client, site):
    index(doc(50, "Toolkit module", "toolkit"))
    database_engine().index(
        [SearchEntry(key="page:50", kind="page", url="/en/toolkit/", title="Toolkit page", body="toolkit")]
    )
    content = client.get(URL, {"kind": "document"}).content.decode()
    assert "Search the library" in content and 'name="kind" value="document"' in content
    content = client.get(URL, {"kind": "document", "q": "toolkit"}).content.decode()
    assert "Toolkit module" in content and "Toolkit page" not in content


def test_french_interface(client, site):
    index(doc(60, "Formation des formatrices", "Les formations", language="fr"))
    response = client.get("/fr/search/", {"q": "formation"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Formation des formatrices" in content
    assert "1 résultat" in content and "Affiner les résultats" in content


def test_a_moderator_without_a_membership_level_finds_forum_topics_an_editor_does_not(
    client, site, django_capture_on_commit_callbacks
):
    from forums import services as forum_services
    from network.choices import StaffRole
    from tests.factories.forums import community_member, make_forum
    from tests.factories.staff import make_staff

    author = community_member()
    with django_capture_on_commit_callbacks(execute=True):
        forum = make_forum("Practice")
        forum_services.start_topic(author=author.user, forum=forum, title="Okapiword debrief", body="Notes")
    client.force_login(make_staff(StaffRole.MODERATOR))
    content = client.get(URL, {"q": "okapiword"}).content.decode()
    assert "Okapiword debrief" in content and "1 result" in content
    client.force_login(make_staff(StaffRole.EDITOR))
    content = client.get(URL, {"q": "okapiword"}).content.decode()
    assert "Okapiword debrief" not in content and "1 result" not in content
