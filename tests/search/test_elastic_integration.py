"""Against a real cluster: only when ELASTICSEARCH_URL is set (Elasticsearch is optional, also under CI=true).

Each test works in its own alias `pk-test-<random>-search` and removes its indices afterwards.
"""

import os
import secrets
from datetime import UTC, datetime

import pytest
from elasticsearch import Elasticsearch

from search.engines.base import SearchEntry, SearchQuery, Viewer
from search.engines.elastic import ElasticsearchEngine

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")

pytestmark = pytest.mark.skipif(
    not ELASTICSEARCH_URL, reason="Elasticsearch is optional: set ELASTICSEARCH_URL to run these tests"
)

PUBLIC, MEMBERS, COMMUNITY = 0, 1, 3


@pytest.fixture
def engine():
    client = Elasticsearch(ELASTICSEARCH_URL, request_timeout=30)
    engine = ElasticsearchEngine(client, prefix=f"pk-test-{secrets.token_hex(4)}")
    yield engine
    client.indices.delete(index=f"{engine.alias}*", ignore_unavailable=True, allow_no_indices=True)


def entry(key: str, title: str, body: str, **fields) -> SearchEntry:
    kind = key.split(":")[0]
    return SearchEntry(key=key, kind=kind, url=f"/{key}/", title=title, body=body, **fields)


CORPUS = [
    entry("document:1", "Gender Toolkit module 3", "Mentoring newly deployed officers.", language="en", year=2011),
    entry("document:2", "Field notes", "A short module on the gender toolkit and on mentoring.", language="en"),
    entry(
        "document:3",
        "Enquêtes sur les violences sexuelles",
        "Le programme forme les enquêtrices aux enquêtes sur les violences basées sur le genre.",
        language="fr",
        document_type="curriculum",
        topics=("sgbv",),
    ),
    entry(
        "document:4",
        "Confidential casework",
        "Casework on survivors, restricted to the working group: zanzibarite protocol.",
        access_level=MEMBERS,
        is_restricted=True,
        grants=("g:9",),
        document_type="report",
        topics=("sgbv",),
    ),
    entry(
        "topic:5",
        "Community lessons",
        "Community circle notes on the zanzibarite protocol.",
        access_level=COMMUNITY,
        date=datetime(2026, 1, 1, tzinfo=UTC),
    ),
]


def search(engine, text, viewer=None, **options):
    return engine.search(SearchQuery(text=text, viewer=viewer or Viewer(), **options))


def test_rebuild_swaps_the_alias_to_a_new_index_and_drops_the_old(engine):
    assert engine.rebuild(CORPUS[:2]) == 2
    first = set(engine.client.indices.get_alias(name=engine.alias).body)
    assert engine.rebuild(CORPUS) == len(CORPUS)
    second = set(engine.client.indices.get_alias(name=engine.alias).body)
    assert len(second) == 1 and second != first
    assert not engine.client.indices.exists(index=first.pop())
    assert engine.keys("document") == {"document:1", "document:2", "document:3", "document:4"}


def test_index_and_delete_go_through_the_alias(engine):
    engine.rebuild([])
    engine.index(CORPUS[:1])
    engine.refresh()
    assert engine.keys("document") == {"document:1"}
    engine.delete(["document:1", "document:unknown"])
    engine.refresh()
    assert engine.keys("document") == set()


def test_a_title_match_ranks_first_and_snippets_are_marked(engine):
    engine.rebuild(CORPUS)
    results = search(engine, "gender toolkit")
    assert [hit.key for hit in results.hits][:2] == ["document:1", "document:2"]
    assert "<mark>" in results.hits[1].snippet_html


def test_french_stemming_finds_the_french_document(engine):
    engine.rebuild(CORPUS)
    results = search(engine, "enquete violence", language="fr")
    assert [hit.key for hit in results.hits] == ["document:3"]


def test_restricted_entries_never_show_in_hits_counts_facets_or_suggestions(engine):
    engine.rebuild(CORPUS)
    outsider = Viewer(level=MEMBERS)
    results = search(engine, "zanzibarite protocol", outsider)
    assert results.total == 0 and results.hits == []
    assert all(count == 0 for values in results.facets.values() for _value, count in values)
    assert search(engine, "zanzibarit protocol", outsider).suggestion == ""
    casework = search(engine, "casework", outsider)
    assert casework.total == 0 and "report" not in dict(casework.facets["document_type"])
    # The group member and the community member each see what is theirs.
    insider = Viewer(level=MEMBERS, grants=frozenset({"g:9"}))
    assert [hit.key for hit in search(engine, "zanzibarite protocol", insider).hits] == ["document:4"]
    community = Viewer(level=COMMUNITY)
    assert [hit.key for hit in search(engine, "zanzibarite protocol", community).hits] == ["topic:5"]
    assert search(engine, "zanzibarit protocol", community).suggestion == "zanzibarite protocol"


def test_facets_count_only_visible_entries_and_filters_narrow(engine):
    engine.rebuild(CORPUS)
    results = search(engine, "casework", Viewer(level=COMMUNITY, grants=frozenset({"g:9"})))
    assert dict(results.facets["document_type"]) == {"report": 1}
    narrowed = search(engine, "module", filters={"year": ("2011",)})
    assert [hit.key for hit in narrowed.hits] == ["document:1"]
    assert dict(narrowed.facets["year"]) == {"2011": 1}


@pytest.mark.parametrize("text", ["a;b", 'say "hello', "train*", "title:secret", "toolkit AND", "x\x00y", "(["])
def test_query_syntax_is_only_words(engine, text):
    engine.rebuild(CORPUS)
    results = search(engine, text)
    assert results.engine == "elasticsearch"
