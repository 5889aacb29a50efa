"""What the library gives the site search: one entry per document with its text and its access labels."""

import pytest
from django.contrib.auth.models import Group

from library import services
from library.models import Topic
from library.search import document_entries
from network.choices import AccessLevel
from search.registry import get_source
from tests.factories.library import make_library_document, pdf_bytes

pytestmark = pytest.mark.django_db


def test_entries_carry_text_facets_and_access_labels(editor, observer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        open_one = make_library_document(
            "Module on leadership",
            data=pdf_bytes("Leading a formed police unit"),
            actor=editor,
            summary="For team leaders.",
            document_type="toolkit_module",
            year=2014,
            topics=[Topic.objects.get(slug="leadership")],
        )
        closed = make_library_document(
            "Working group notes", level=AccessLevel.NETWORK, is_restricted=True, actor=editor
        )
    group = Group.objects.create(name="Working group")
    services.grant_document_access(closed, observer, actor=None, reason="member")
    services.grant_document_access(closed, group, actor=None, reason="group")

    entries = {entry.key: entry for entry in document_entries()}
    entry = entries[f"document:{open_one.pk}"]
    assert entry.kind == "document"
    assert entry.url == f"/en/library/{open_one.pk}/"
    assert entry.title == "Module on leadership"
    assert "For team leaders." in entry.body and "Leading a formed police unit" in entry.body
    assert (entry.document_type, entry.topics, entry.year, entry.language) == (
        "toolkit_module",
        ("leadership",),
        2014,
        "en",
    )
    assert (entry.access_level, entry.is_restricted, entry.grants) == (0, False, ())
    restricted = entries[f"document:{closed.pk}"]
    assert restricted.access_level == int(AccessLevel.NETWORK)
    assert restricted.is_restricted
    assert set(restricted.grants) == {f"u:{observer.pk}", f"g:{group.pk}"}


def test_entries_for_given_pks_and_deleted_documents(editor):
    kept = make_library_document("Kept", actor=editor)
    gone = make_library_document("Gone", actor=editor)
    gone_pk = gone.pk
    gone.delete()
    assert [entry.key for entry in document_entries([kept.pk, gone_pk])] == [f"document:{kept.pk}"]


def test_french_document_links_to_the_french_page(editor):
    document = make_library_document("Module de formation", language="fr", actor=editor)
    (entry,) = document_entries([document.pk])
    assert entry.url == f"/fr/library/{document.pk}/"
    assert entry.language == "fr"


def test_library_is_registered_as_a_search_source(editor):
    source = get_source("document")
    assert source is not None
    document = make_library_document("Registered", actor=editor)
    assert source.watch["library.Document"](document) == [document.pk]
    assert [entry.key for entry in source.entries([document.pk])] == [f"document:{document.pk}"]
