"""Behaviour of the database engine of the connection the suite runs on (PostgreSQL with DATABASE_URL set,
SQLite otherwise): the same tests hold for both."""

from datetime import UTC, datetime

import pytest
from django.db import connection

from search.engines import database_engine
from search.engines.base import FACETS, SearchEntry, SearchQuery, Viewer
from tests.conftest import require_service

pytestmark = pytest.mark.django_db

PUBLIC = Viewer(level=0)
MEMBER = Viewer(level=1, grants=frozenset({"u:5"}))
NETWORK = Viewer(level=2, grants=frozenset({"u:6", "g:2"}))
COMMUNITY = Viewer(level=3, grants=frozenset({"u:7"}))
GUARDIAN = Viewer(level=3, grants=frozenset({"u:8", "g:1"}))
OUTSIDER_GUARDIAN = Viewer(level=1, grants=frozenset({"g:1"}))  # a grant never lifts a viewer above her level
VIEWERS = {
    "public": PUBLIC,
    "member": MEMBER,
    "network": NETWORK,
    "community": COMMUNITY,
    "guardian": GUARDIAN,
    "low guardian": OUTSIDER_GUARDIAN,
}


def entry(key, title, body, **fields):
    kind = key.split(":")[0]
    return SearchEntry(key=key, kind=kind, url=f"/{kind}/{key.split(':')[1]}/", title=title, body=body, **fields)


def allowed(item: SearchEntry, viewer: Viewer) -> bool:
    by_level = item.access_level <= viewer.level and (not item.is_restricted or bool(set(item.grants) & viewer.grants))
    return by_level or bool(set(item.grants) & viewer.passes)


def ask(engine, text, viewer=PUBLIC, **kwargs):
    return engine.search(SearchQuery(text=text, viewer=viewer, **kwargs))


@pytest.fixture
def engine():
    return database_engine()


LABELLED = [
    entry(
        "document:1",
        "Patrol handbook",
        "walrusword patrol public guidance",
        access_level=0,
        year=2011,
        document_type="guidance",
        topics=("community_policing",),
        language="en",
    ),
    entry(
        "document:2",
        "Members checklist",
        "walrusword members checklist",
        access_level=1,
        year=2012,
        document_type="form",
        topics=("recruitment",),
        language="en",
    ),
    entry(
        "document:3",
        "Network report",
        "walrusword network report",
        access_level=2,
        year=2012,
        document_type="report",
        topics=("leadership",),
        language="en",
    ),
    entry(
        "document:4",
        "Community curriculum",
        "walrusword community curriculum",
        access_level=3,
        year=2013,
        document_type="curriculum",
        topics=("sgbv",),
        language="en",
    ),
    entry(
        "document:5",
        "Group secret",
        "walrusword zebrafinch group secret",
        access_level=3,
        is_restricted=True,
        grants=("g:1",),
        year=2014,
        document_type="toolkit_module",
        topics=("mentoring",),
        language="en",
    ),
    entry(
        "post:6",
        "Restricted to a person",
        "walrusword personal",
        access_level=1,
        is_restricted=True,
        grants=("u:5",),
        language="en",
    ),
    entry("member:7", "Network profile", "walrusword profile", access_level=2),
]


def test_title_matches_rank_first(engine):
    engine.index(
        [
            entry("document:10", "Annual figures", "Recruitment of women officers " * 3 + "and investigation notes"),
            entry("document:11", "Investigation of sexual violence", "A short note."),
            entry("document:12", "Mission diary", "investigation " * 2 + "diary"),
        ]
    )
    results = ask(engine, "investigation")
    assert results.total == 3
    assert results.hits[0].key == "document:11"


def test_recent_entries_rank_above_old_ones_with_the_same_text(engine):
    engine.index(
        [
            entry("document:20", "Gender toolkit module", "toolkit", date=datetime(2009, 1, 1, tzinfo=UTC)),
            entry("document:21", "Gender toolkit module", "toolkit", date=datetime.now(UTC)),
        ]
    )
    assert [hit.key for hit in ask(engine, "toolkit").hits] == ["document:21", "document:20"]


def test_french_words_are_found_in_their_other_forms_and_without_accents(engine):
    engine.index(
        [
            entry(
                "document:30",
                "Les formatrices de la police",
                "Les formations des enquêtrices sur la sécurité.",
                language="fr",
            ),
            entry("document:31", "Patrol", "Something else entirely.", language="en"),
        ]
    )
    for text in ("formation", "formatrice", "securite", "SÉCURITÉ", "enquetrices"):
        results = ask(engine, text, language="fr")
        assert [hit.key for hit in results.hits] == ["document:30"], text


def test_english_stemming(engine):
    engine.index([entry("document:40", "Interviewing survivors", "Trainers trained investigators.", language="en")])
    assert ask(engine, "interview").total == 1
    assert ask(engine, "investigator").total == 1


def test_highlights_are_escaped_and_marked(engine):
    engine.index(
        [
            entry(
                "document:50",
                "Unsafe text",
                'Before <script>alert("x")</script> <img src=x onerror=alert(1)> the curriculum \ue000fake\ue001 after',
            )
        ]
    )
    results = ask(engine, "curriculum")
    snippet = results.hits[0].snippet_html
    assert "<mark>curriculum</mark>" in snippet
    assert "<script" not in snippet and "<img" not in snippet
    assert snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0
    assert "<mark>fake</mark>" not in snippet


@pytest.mark.parametrize("name", VIEWERS)
def test_every_viewer_sees_only_what_the_access_rule_allows(engine, name):
    viewer = VIEWERS[name]
    engine.index(LABELLED)
    visible = {item.key for item in LABELLED if allowed(item, viewer)}
    results = ask(engine, "walrusword", viewer)
    assert {hit.key for hit in results.hits} == visible
    assert results.total == len(visible)
    assert sum(count for _value, count in results.facets["kind"]) == len(visible)
    shown_types = {value for value, _count in results.facets["document_type"]}
    assert shown_types == {item.document_type for item in LABELLED if item.key in visible and item.document_type}
    shown_topics = {value for value, _count in results.facets["topics"]}
    assert shown_topics == {topic for item in LABELLED if item.key in visible for topic in item.topics}
    secret = ask(engine, "zebrafinch", viewer)
    assert (secret.total > 0) == ("document:5" in visible)
    assert all("zebrafinch" not in hit.snippet_html for hit in results.hits if hit.key not in visible)


def test_suggestions_never_reveal_a_word_of_a_restricted_entry(engine):
    engine.index(LABELLED)
    for viewer in (PUBLIC, MEMBER, COMMUNITY, OUTSIDER_GUARDIAN):
        results = ask(engine, "zebrafinc", viewer)
        assert results.total == 0 and results.suggestion == ""
    assert ask(engine, "zebrafinc", GUARDIAN).suggestion == "zebrafinch"


def test_suggestion_for_a_misspelt_visible_word(engine):
    engine.index([entry("document:60", "Mentoring programme", "mentoring for women officers")])
    results = ask(engine, "mentorng")
    assert results.total == 0
    assert results.suggestion == "mentoring"
    assert ask(engine, "mentoring").suggestion == ""


def test_facet_filters_narrow_results_and_counts(engine):
    engine.index(LABELLED)
    results = ask(engine, "walrusword", COMMUNITY, filters={"year": ("2012",)})
    assert {hit.key for hit in results.hits} == {"document:2", "document:3"}
    assert results.facets["year"] == [("2012", 2)]
    by_topic = ask(engine, "walrusword", COMMUNITY, filters={"topics": ("sgbv", "leadership")})
    assert {hit.key for hit in by_topic.hits} == {"document:3", "document:4"}
    by_kind = ask(engine, "walrusword", COMMUNITY, filters={"kind": ("member",), "year": ("not a year",)})
    assert by_kind.total == 0
    assert set(ask(engine, "walrusword", COMMUNITY).facets) == set(FACETS)


def test_pages_of_results(engine):
    engine.index([entry(f"post:{number}", f"Topic {number}", "pagination words") for number in range(1, 26)])
    first = ask(engine, "pagination", per_page=10)
    third = ask(engine, "pagination", per_page=10, page=3)
    beyond = ask(engine, "pagination", per_page=10, page=99)
    assert first.total == third.total == beyond.total == 25
    assert len(first.hits) == 10 and len(third.hits) == 5 and beyond.hits == []
    assert not {hit.key for hit in first.hits} & {hit.key for hit in third.hits}


@pytest.mark.parametrize(
    "text",
    [
        "a;b",
        '"quoted',
        "it's",
        "*",
        "title:secret",
        "AND",
        "OR NOT",
        "NEAR(a b)",
        "x\x00y",
        "%00",
        "'; --",
        "(((",
        "{title}: x",
        "^start",
        "-minus",
        "!",
        "a" * 2_000,
        "   ",
    ],
)
def test_query_syntax_is_plain_text(engine, text):
    engine.index(LABELLED)
    results = ask(engine, text, NETWORK)
    assert results.total == len(results.hits) or results.total > len(results.hits)
    assert all(allowed(item, NETWORK) for item in LABELLED if item.key in {hit.key for hit in results.hits})


def test_index_replaces_and_delete_removes(engine):
    engine.index([entry("page:70", "Old title", "oldword")])
    engine.index([entry("page:70", "New title", "newword")])
    assert ask(engine, "oldword").total == 0
    assert ask(engine, "newword").total == 1
    assert engine.keys("page") == {"page:70"}
    engine.delete(["page:70", "page:999"])
    assert engine.keys("page") == set()
    assert ask(engine, "newword").total == 0


def test_rebuild_replaces_everything(engine):
    engine.index([entry("page:80", "Gone", "gone")])
    written = engine.rebuild([entry("page:81", "Kept", "kept")])
    assert written == 1
    assert engine.keys("page") == {"page:81"}


def test_engine_matches_the_connection():
    assert database_engine().name == connection.vendor


PASSED = [
    entry("forum_topic:40", "Open forum topic", "ibisword open", access_level=3, grants=("forum:1",)),
    entry(
        "forum_topic:41",
        "Working group topic",
        "ibisword working group",
        access_level=3,
        is_restricted=True,
        grants=("g:4", "forum:2"),
    ),
    entry("forum_topic:42", "Other forum topic", "ibisword other", access_level=3, grants=("forum:3",)),
    entry("document:43", "Community document", "ibisword document", access_level=3),
]


def test_a_pass_opens_the_entries_carrying_it_whatever_the_level_and_no_others(engine):
    """A staff moderator without a membership level reads forums 1 and 2: she finds their topics (even the
    working group's, restricted to a group she is not in), in hits, total and facets, and nothing else."""
    engine.index(PASSED)
    moderator = Viewer(level=0, grants=frozenset({"u:9"}), passes=frozenset({"forum:1", "forum:2"}))
    results = ask(engine, "ibisword", moderator)
    assert {hit.key for hit in results.hits} == {"forum_topic:40", "forum_topic:41"}
    assert results.total == 2
    assert dict(results.facets["kind"]) == {"forum_topic": 2}
    assert all(allowed(item, moderator) == (item.key in {"forum_topic:40", "forum_topic:41"}) for item in PASSED)
    # Without passes the same person finds nothing; a pass label in her grants is no pass.
    assert ask(engine, "ibisword", Viewer(level=0, grants=frozenset({"u:9"}))).total == 0
    assert ask(engine, "ibisword", Viewer(level=0, grants=frozenset({"forum:1"}))).total == 0
    # A community member without passes finds what the levels open her: not the working group's topic.
    community = {hit.key for hit in ask(engine, "ibisword", Viewer(level=3)).hits}
    assert community == {"forum_topic:40", "forum_topic:42", "document:43"}


def test_a_long_entry_ranks_by_its_title_and_opening(engine):
    require_service("PostgreSQL", connection.vendor == "postgresql", "rank_vector is PostgreSQL's (migration 0006)")
    filler = " ".join(["patrol station report"] * 300)  # about 6,600 characters
    engine.index(
        [
            entry("document:91", "Deep mention", f"{filler} heronword egretword {filler}", language="en"),
            entry("document:92", "Early mention", f"heronword egretword {filler} {filler}", language="en"),
        ]
    )

    hits = ask(engine, "heronword egretword").hits

    assert [hit.key for hit in hits] == ["document:92", "document:91"]  # both found, the opening one first
