"""The request bodies the Elasticsearch engine sends, built by pure functions: the access rule is in every one,
user text travels only as data, and a response's highlights come back escaped."""

import json
from datetime import UTC, datetime

import pytest
from elasticsearch.dsl import Response, Search

from search.engines.base import FACETS, SearchEntry, SearchQuery, Viewer
from search.engines.elastic import (
    MARK_END,
    MARK_START,
    alias_swap_actions,
    delete_actions,
    index_actions,
    parse_response,
    permission_filter,
    search_body,
    suggested_text,
    suggestion_check_body,
)

MEMBER = Viewer(level=1)
GUARDED = Viewer(level=3, grants=frozenset({"u:7", "g:2"}))
MODERATOR = Viewer(level=0, grants=frozenset({"u:9"}), passes=frozenset({"forum:1", "forum:2"}))
HOSTILE_TEXTS = [
    "a;b",
    'say "hello',
    "train*",
    "title:secret",
    "sgbv AND NOT mentoring",
    "nul\x00byte",
    "(unbalanced [brackets {",
    "x" * 2000,
]


def permission_clause(viewer: Viewer) -> dict:
    level = {"range": {"access_level": {"lte": viewer.level}}}
    shared = [{"term": {"is_restricted": False}}]
    if viewer.grants:
        shared.append({"terms": {"grants": sorted(viewer.grants)}})
    by_level = {"bool": {"filter": [level, {"bool": {"should": shared, "minimum_should_match": 1}}]}}
    if not viewer.passes:
        return by_level
    passes = {"terms": {"grants": sorted(viewer.passes)}}
    return {"bool": {"should": [by_level, passes], "minimum_should_match": 1}}


def filters_of(body: dict) -> list:
    """The filter list of the bool query under the function score."""
    return body["query"]["function_score"]["query"]["bool"]["filter"]


def test_the_permission_filter_states_the_access_rule():
    assert permission_filter(MEMBER) == permission_clause(MEMBER)
    assert permission_filter(GUARDED) == permission_clause(GUARDED)
    # A pass opens the entries carrying it whatever the level, and only those: the level rule stays beside it.
    assert permission_filter(MODERATOR) == permission_clause(MODERATOR)


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"kind": ()},
        {"kind": ("document",)},
        {"kind": ("document", "page"), "topics": ("mentoring",), "language": ("fr",), "year": ("2011",)},
        {"document_type": ("curriculum",), "unknown_facet": ("x",)},
    ],
)
@pytest.mark.parametrize("viewer", [Viewer(), MEMBER, GUARDED, MODERATOR])
def test_every_search_body_carries_the_permission_filter(viewer, filters):
    body = search_body(SearchQuery(text="sgbv training", viewer=viewer, filters=filters))
    assert filters_of(body)[0] == permission_clause(viewer)
    # Facet choices narrow the query (so facet counts stay within what the viewer may see), never replace it.
    chosen = {name: values for name, values in filters.items() if name in FACETS and values}
    assert filters_of(body)[1:] == [{"terms": {name: sorted(values)}} for name, values in chosen.items()]
    # Aggregations run over the query's hits: no post_filter, no global aggregation escaping the access rule.
    assert "post_filter" not in body
    assert "global" not in json.dumps(body["aggs"])
    assert set(body["aggs"]) == set(FACETS)


def test_the_suggestion_check_carries_the_permission_filter():
    body = suggestion_check_body("sgbv training", MEMBER)
    assert body["query"]["bool"]["filter"][0] == permission_clause(MEMBER)
    assert body["query"]["bool"]["must"][0]["multi_match"]["query"] == "sgbv training"


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_user_text_is_only_ever_the_value_of_a_multi_match(text):
    body = search_body(SearchQuery(text=text, viewer=MEMBER))
    match = body["query"]["function_score"]["query"]["bool"]["must"][0]["multi_match"]
    assert match["operator"] == "and"
    sent = match["query"]
    assert "\x00" not in sent
    assert len(sent) <= 500
    assert sent == " ".join(text.replace("\x00", " ").split())[:500]
    assert body["suggest"]["text"] == sent
    # No query language anywhere in the body.
    serialised = json.dumps(body)
    assert "query_string" not in serialised
    assert "simple_query_string" not in serialised
    assert filters_of(body)[0] == permission_clause(MEMBER)


def test_titles_weigh_more_and_recent_entries_more_without_sinking_old_ones():
    body = search_body(SearchQuery(text="toolkit", viewer=MEMBER))
    fields = body["query"]["function_score"]["query"]["bool"]["must"][0]["multi_match"]["fields"]
    assert "title^3" in fields and "title.fr^3" in fields and "body.fr" in fields
    score = body["query"]["function_score"]
    assert score["functions"][0]["gauss"]["date"]["origin"] == "now"
    assert score["functions"][1] == {"weight": 1}
    assert (score["score_mode"], score["boost_mode"]) == ("sum", "multiply")


def test_pagination_stays_inside_the_result_window():
    assert (search_body(SearchQuery(text="a", viewer=MEMBER, page=3, per_page=20))["from"]) == 40
    deep = search_body(SearchQuery(text="a", viewer=MEMBER, page=100_000, per_page=20))
    assert deep["from"] + deep["size"] <= 10_000
    assert search_body(SearchQuery(text="a", viewer=MEMBER, page=0, per_page=5000))["size"] == 100


def fake_response(hits: list[dict], total: int = 1, aggregations: dict | None = None) -> Response:
    raw = {
        "took": 1,
        "timed_out": False,
        "hits": {"total": {"value": total, "relation": "eq"}, "max_score": 1.0, "hits": hits},
        "aggregations": aggregations or {},
    }
    return Response(Search(index="peacekeepers-search"), raw)


def test_highlights_are_escaped_so_document_text_cannot_inject_html():
    response = fake_response(
        [
            {
                "_index": "peacekeepers-search-1",
                "_id": "document:1",
                "_score": 2.5,
                "_source": {
                    "key": "document:1",
                    "kind": "document",
                    "url": "/en/library/1/",
                    "title": "<b>Toolkit</b>",
                    "language": "en",
                    "date": "2011-05-01T00:00:00+00:00",
                },
                "highlight": {
                    "body": [f'<img src=x onerror="alert(1)"> the {MARK_START}toolkit{MARK_END} & <mark>fake</mark>'],
                },
            }
        ]
    )
    hits, total, _facets = parse_response(response)
    assert total == 1
    [hit] = hits
    assert hit.snippet_html == (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; the <mark>toolkit</mark> &amp; &lt;mark&gt;fake&lt;/mark&gt;"
    )
    assert hit.title == "<b>Toolkit</b>"  # plain text: the template escapes it
    assert hit.date == datetime(2011, 5, 1, tzinfo=UTC)
    assert hit.score == 2.5


def test_a_french_entry_takes_its_snippet_from_the_french_analysis():
    response = fake_response(
        [
            {
                "_id": "document:2",
                "_score": 1.0,
                "_source": {"key": "document:2", "kind": "document", "url": "/fr/b/", "title": "B", "language": "fr"},
                "highlight": {
                    "body": ["Début du texte sans correspondance"],
                    "body.fr": [f"les {MARK_START}enquêtes{MARK_END} sur les violences"],
                },
            }
        ]
    )
    [hit] = parse_response(response)[0]
    assert hit.snippet_html == "les <mark>enquêtes</mark> sur les violences"


def test_facet_counts_come_from_the_aggregations():
    aggregations = {name: {"buckets": []} for name in FACETS}
    aggregations["year"] = {"buckets": [{"key": 2011, "doc_count": 4}]}
    aggregations["kind"] = {"buckets": [{"key": "document", "doc_count": 3}, {"key": "page", "doc_count": 1}]}
    _hits, _total, facets = parse_response(fake_response([], total=4, aggregations=aggregations))
    assert facets["year"] == [("2011", 4)]
    assert facets["kind"] == [("document", 3), ("page", 1)]
    assert facets["topics"] == []


def test_a_suggestion_replaces_only_the_words_the_suggester_corrects():
    raw = {
        "suggest": {
            "did_you_mean": [
                {"text": "mentorng", "offset": 0, "length": 8, "options": [{"text": "mentoring", "freq": 9}]},
                {"text": "guide", "offset": 9, "length": 5, "options": []},
            ]
        }
    }
    assert suggested_text(raw, "mentorng guide") == "mentoring guide"
    assert suggested_text({"suggest": {"did_you_mean": [{"offset": 0, "length": 5, "options": []}]}}, "guide") == ""
    assert suggested_text({}, "guide") == ""


def test_bulk_actions_index_by_key_and_delete_by_key():
    entry = SearchEntry(key="page:4", kind="page", url="/en/about/", title="About", body="Who we are")
    [action] = list(index_actions([entry], "peacekeepers-search-2"))
    assert action["_op_type"] == "index"
    assert action["_index"] == "peacekeepers-search-2"
    assert action["_id"] == "page:4"
    assert action["_source"]["title"] == "About"
    assert action["_source"]["access_level"] == 0
    assert list(delete_actions(["page:4"], "peacekeepers-search")) == [
        {"_op_type": "delete", "_index": "peacekeepers-search", "_id": "page:4"}
    ]


def test_the_alias_swap_is_one_request_that_moves_the_alias():
    actions = alias_swap_actions("pk-search", "pk-search-2", ["pk-search-1"])
    assert actions == [
        {"remove": {"index": "pk-search-1", "alias": "pk-search"}},
        {"add": {"index": "pk-search-2", "alias": "pk-search", "is_write_index": True}},
    ]
    # First rebuild: nothing to remove.
    assert alias_swap_actions("pk-search", "pk-search-1", []) == [
        {"add": {"index": "pk-search-1", "alias": "pk-search", "is_write_index": True}}
    ]
    # A concrete index that took the alias's name goes in the same request.
    assert alias_swap_actions("pk-search", "pk-search-1", ["pk-search"])[0] == {"remove_index": {"index": "pk-search"}}


@pytest.mark.parametrize("text", ["sgbv training", *HOSTILE_TEXTS[:3]])
def test_the_bodies_are_valid_search_dsl(text):
    # elasticsearch.dsl parses each clause by name: an unknown query or aggregation type would raise here.
    query = SearchQuery(text=text, viewer=GUARDED, filters={"kind": ("document",), "year": ("2011",)})
    body = search_body(query)
    assert Search.from_dict(body).to_dict() == body
    check = suggestion_check_body(text, GUARDED)
    assert Search.from_dict(check).to_dict() == check
