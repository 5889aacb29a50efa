"""The demo library: real files with their text extracted, some in French, one for the Community of Practice."""

import pytest

from library.choices import ExtractionStatus
from library.demo import DEMO_DOCUMENTS, seed_library_demo
from library.models import Document
from network.choices import AccessLevel

pytestmark = pytest.mark.django_db


def test_demo_documents_are_seeded_once_with_their_text(editor):
    seed_library_demo()
    seed_library_demo()
    documents = Document.objects.all()
    assert documents.count() == len(DEMO_DOCUMENTS)
    assert set(documents.values_list("extraction_status", flat=True)) == {ExtractionStatus.DONE}
    assert documents.filter(language="fr").count() == 2
    assert documents.filter(access_level=AccessLevel.COMMUNITY).count() == 1
    assert {name.rsplit(".", 1)[1] for name in documents.values_list("file", flat=True)} == {"pdf", "docx"}
    curriculum = documents.get(document_type="curriculum")
    assert "crime-scene investigation" in curriculum.extracted_text
    french = documents.get(title__startswith="Boîte à outils")
    assert french.translation_of.title.startswith("Gender Toolkit, module 1")
    assert all(document.versions.count() == 1 for document in documents)
