"""The PostgreSQL engine's rebuild: a table built beside the live index, then swapped in (postgres_build).

These run outside a test transaction, as `search_reindex` does: the writers use connections of their own."""

from datetime import timedelta

import pytest
from django.db import connection

from search.engines import database_engine
from search.engines import postgres_build as build
from search.engines.base import SearchQuery, Viewer
from search.models import SearchIndexEntry
from tests.conftest import require_service
from tests.search.test_engines import entry

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC = Viewer(level=0)


@pytest.fixture
def engine(monkeypatch):
    # The application and the database share a clock here: no margin for the rows written just before a build
    # (which the tests expect the build to replace).
    monkeypatch.setattr(build, "REPLAY_MARGIN", timedelta(0))
    require_service("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database")
    engine = database_engine()
    engine.threads = 2
    return engine


def found(engine, text: str) -> set[str]:
    results = engine.search(SearchQuery(text=text, viewer=PUBLIC, per_page=100))
    return {hit.key for hit in results.hits}


def schema() -> tuple[list, list, str | None]:
    """The live table's indexes and constraints (names and definitions) and its id sequence."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s ORDER BY 1", [build.LIVE])
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass ORDER BY 1",
            [build.LIVE],
        )
        constraints = cursor.fetchall()
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [build.LIVE])
        sequence = cursor.fetchone()[0]
    return indexes, constraints, sequence


def build_tables_left() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s), to_regclass(%s)", [build.BUILD, build.GONE])
        return [name for name in cursor.fetchone() if name]


def test_rebuild_swaps_in_a_whole_new_index_with_the_same_indexes_and_names(engine):
    before = schema()
    engine.index([entry("page:1", "Old page", "heronword old")])
    corpus = [entry(f"document:{number}", f"Guide {number}", f"egretword part {number}") for number in range(2_500)]

    assert engine.rebuild(corpus) == 2_500

    assert schema() == before
    assert build_tables_left() == []
    assert found(engine, "heronword") == set()
    assert engine.search(SearchQuery(text="egretword", viewer=PUBLIC)).total == 2_500
    assert found(engine, "Guide 1234") >= {"document:1234"}
    engine.index([entry("page:2", "Written after the swap", "ibisword")])  # the id sequence goes on
    assert found(engine, "ibisword") == {"page:2"}
    assert engine.rebuild([entry("page:3", "Again", "storkword")]) == 1  # a second rebuild finds its names free
    assert schema() == before and found(engine, "storkword") == {"page:3"}


def test_changes_made_while_the_build_runs_are_in_the_new_index(engine):
    engine.index([entry("document:1", "First version", "cranewordone"), entry("document:2", "Doomed", "doomword")])

    def corpus():
        yield entry("document:1", "First version", "cranewordone")
        yield entry("document:2", "Doomed", "doomword")
        # Meanwhile a worker refreshes document 1, deletes document 2 and adds document 3.
        engine.index([entry("document:1", "Second version", "cranewordtwo"), entry("document:3", "New", "newword")])
        engine.delete(["document:2"])
        yield from (entry(f"post:{number}", f"Post {number}", "filler") for number in range(1_500))

    engine.rebuild(corpus())

    assert found(engine, "cranewordtwo") == {"document:1"}
    assert found(engine, "cranewordone") == set()
    assert found(engine, "doomword") == set()
    assert found(engine, "newword") == {"document:3"}
    assert SearchIndexEntry.objects.count() == 1_502


def test_a_stopped_build_leaves_the_live_index_and_resumes(engine):
    engine.index([entry("page:1", "Live page", "liveword")])
    corpus = [entry(f"document:{number}", f"Doc {number}", "resumeword") for number in range(3_000)]

    def stopped():
        yield from corpus[:2_000]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        engine.rebuild(stopped())
    assert found(engine, "liveword") == {"page:1"}  # searches still read the old index
    assert build_tables_left()

    handled = []
    assert engine.rebuild(corpus, resume=True, progress=handled.append) == 3_000
    assert handled[-1] == 3_000
    assert found(engine, "liveword") == set()
    assert engine.search(SearchQuery(text="resumeword", viewer=PUBLIC)).total == 3_000
    assert build_tables_left() == []


def test_a_build_stopped_after_its_indexes_resumes(engine, monkeypatch):
    engine.index([entry("page:1", "Live page", "liveword")])
    corpus = [entry(f"document:{number}", f"Doc {number}", "resumeword") for number in range(1_200)]
    swap = build.IndexBuild._swap

    def stopped(self, *args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(build.IndexBuild, "_swap", stopped)
    with pytest.raises(KeyboardInterrupt):
        engine.rebuild(corpus)
    assert found(engine, "liveword") == {"page:1"}

    monkeypatch.setattr(build.IndexBuild, "_swap", swap)
    assert engine.rebuild(corpus, resume=True) == 1_200  # its indexes are built again
    assert found(engine, "liveword") == set()
    assert build_tables_left() == []


def test_a_failed_build_is_dropped_and_the_live_index_kept(engine):
    engine.index([entry("page:1", "Live page", "liveword")])

    def broken():
        yield from (entry(f"document:{number}", "Doc", "word") for number in range(1_200))
        raise ValueError("a source broke")

    with pytest.raises(ValueError, match="a source broke"):
        engine.rebuild(broken())
    assert build_tables_left() == []
    assert found(engine, "liveword") == {"page:1"}


def test_search_reindex_builds_the_whole_index_beside_the_live_one(engine, capsys):
    from django.core.management import call_command

    from cms.models import StandardPage
    from tests.factories import home_pages
    from tests.factories.cms import publish_child

    pages = [publish_child(home_pages()["en"], StandardPage, title=f"Rebuilt kestrelword {n}") for n in range(3)]
    engine.index([entry("page:999999", "Ghost of a deleted page", "ghostword")])

    call_command("search_reindex", "--jobs", "2")

    assert found(engine, "ghostword") == set()
    assert found(engine, "kestrelword") == {f"page:{page.pk}" for page in pages}
    assert "entries indexed" in capsys.readouterr().out
    assert build_tables_left() == []
    call_command("search_check")  # exits 1 on any drift
