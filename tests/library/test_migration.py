"""Documents uploaded before the library keep their ids (pages link to them by id), become public library
documents with a first version, and their files leave the public media folder."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import connection
from wagtail.documents.models import Document as WagtailDocument

from library.models import Document
from network.choices import AccessLevel

pytestmark = pytest.mark.django_db

migration = importlib.import_module("library.migrations.0002_topics_and_wagtail_documents")


def test_wagtail_documents_move_into_the_library(settings, tmp_path, editor):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    from django.core.files.storage import default_storage

    old = WagtailDocument(title="Annual report 2013", uploaded_by_user=editor)
    old.file.save("annual-report.pdf", ContentFile(b"%PDF-1.4 old report"), save=False)
    old.save()
    old.tags.add("annual")
    public_name = old.file.name
    assert default_storage.exists(public_name)

    migration.copy_wagtail_documents(apps, SimpleNamespace(connection=connection))
    migration.copy_wagtail_documents(apps, SimpleNamespace(connection=connection))  # a second run adds nothing

    document = Document.objects.get(pk=old.pk)
    assert document.title == "Annual report 2013"
    assert document.access_level == AccessLevel.PUBLIC
    assert list(document.tags.names()) == ["annual"]
    assert document.file.name.startswith("library/")
    with document.file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 old report"
    assert not default_storage.exists(public_name)
    assert document.versions.get().original_name == "annual-report.pdf"
    # The next upload gets a fresh id.
    from tests.factories.library import make_library_document

    assert make_library_document("New one").pk > old.pk
