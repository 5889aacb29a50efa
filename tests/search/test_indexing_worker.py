"""The on-commit refresh through a real Celery worker on Redis (skipped without Redis, required in CI)."""

import pytest

from cms.models import StandardPage
from search.models import SearchIndexEntry
from tests.factories import home_pages
from tests.factories.cms import publish_child
from tests.test_celery_worker import celery_worker, wait_for  # noqa: F401 -- the worker fixture

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_a_published_page_reaches_the_index_through_the_worker(celery_worker):  # noqa: F811
    site = home_pages()
    page = publish_child(site["en"], StandardPage, title="Worker indexed page", intro="<p>Axolotlword</p>")
    key = f"page:{page.pk}"
    assert wait_for(lambda: SearchIndexEntry.objects.filter(key=key).exists())
    page.unpublish()
    assert wait_for(lambda: not SearchIndexEntry.objects.filter(key=key).exists())
