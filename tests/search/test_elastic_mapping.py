"""The Elasticsearch index definition: analyzers and field types, read from what we would send to the cluster."""

from search.engines.base import SearchEntry
from search.engines.elastic import SearchDocument, index_definition


def definition() -> dict:
    return index_definition("peacekeepers-search-20260101000000000000").to_dict()


def test_french_and_english_analyzers_fold_accents_and_stem():
    analysis = definition()["settings"]["analysis"]
    french = analysis["analyzer"]["pk_french"]
    english = analysis["analyzer"]["pk_english"]
    assert french["tokenizer"] == "standard"
    assert french["filter"] == ["french_elision", "lowercase", "asciifolding", "french_stop", "french_stemmer"]
    assert english["filter"] == [
        "english_possessive_stemmer",
        "lowercase",
        "asciifolding",
        "english_stop",
        "english_stemmer",
    ]
    filters = analysis["filter"]
    assert filters["french_elision"]["type"] == "elision"
    assert {"l", "d", "qu"} <= set(filters["french_elision"]["articles"])
    assert filters["french_stop"] == {"type": "stop", "stopwords": "_french_"}
    assert filters["french_stemmer"] == {"type": "stemmer", "language": "light_french"}
    assert filters["english_stop"] == {"type": "stop", "stopwords": "_english_"}
    assert filters["english_stemmer"] == {"type": "stemmer", "language": "english"}
    assert analysis["analyzer"]["pk_folded"]["filter"] == ["lowercase", "asciifolding"]


def test_title_and_body_have_english_and_french_sub_fields():
    properties = definition()["mappings"]["properties"]
    for name in ("title", "body"):
        field = properties[name]
        assert field["type"] == "text"
        assert field["analyzer"] == "pk_folded"
        assert field["fields"]["en"] == {**field["fields"]["en"], "type": "text", "analyzer": "pk_english"}
        assert field["fields"]["fr"] == {**field["fields"]["fr"], "type": "text", "analyzer": "pk_french"}
    assert properties["body"]["index_options"] == "offsets"


def test_facet_and_access_fields_are_exact_values():
    properties = definition()["mappings"]["properties"]
    for name in ("key", "kind", "language", "document_type", "topics", "grants"):
        assert properties[name]["type"] == "keyword", name
    assert properties["url"] == {"type": "keyword", "index": False}
    assert properties["access_level"]["type"] == "integer"
    assert properties["year"]["type"] == "integer"
    assert properties["is_restricted"]["type"] == "boolean"
    assert properties["date"]["type"] == "date"


def test_the_document_has_every_field_of_a_search_entry():
    properties = definition()["mappings"]["properties"]
    assert set(properties) == set(SearchEntry.__dataclass_fields__)


def test_a_document_drops_nul_and_highlight_markers_from_its_text():
    entry = SearchEntry(
        key="document:1",
        kind="document",
        url="/library/1/",
        title="Gender\x00 Toolkit",
        body="Module \ue000one\ue001 <script>",
        topics=("mentoring",),
        grants=("u:3",),
        access_level=2,
        is_restricted=True,
    )
    source = SearchDocument.from_entry(entry).to_dict()
    assert source["title"] == "Gender Toolkit"
    assert source["body"] == "Module one <script>"
    assert source["topics"] == ["mentoring"]
    assert source["grants"] == ["u:3"]
    assert source["access_level"] == 2
    assert source["is_restricted"] is True
