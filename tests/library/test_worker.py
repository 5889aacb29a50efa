"""Text extraction runs on a real Celery worker once the upload commits; the upload itself returns at once."""

import pytest
from django.db import transaction

from library.choices import ExtractionStatus
from library.models import Document
from tests.factories.library import docx_bytes, make_library_document, pdf_bytes
from tests.test_celery_worker import wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_extraction_runs_on_the_worker_after_commit(celery_worker):
    with transaction.atomic():
        pdf = make_library_document("Pilot report 2011", data=pdf_bytes("Pilot in Liberia and Haiti"))
        word = make_library_document("Curriculum", data=docx_bytes("Session on evidence"), name="c.docx")
        # Queued on commit: nothing has run yet, and the upload did not wait for it.
        assert Document.objects.get(pk=pdf.pk).extraction_status == ExtractionStatus.PENDING

    def done():
        return set(Document.objects.filter(pk__in=[pdf.pk, word.pk]).values_list("extraction_status", flat=True)) == {
            ExtractionStatus.DONE
        }

    assert wait_for(done, timeout=30)
    assert "Liberia" in Document.objects.get(pk=pdf.pk).extracted_text
    assert "Session on evidence" in Document.objects.get(pk=word.pk).extracted_text
