"""Wagtail's own admin search (its database backend) still works, and on PostgreSQL its query uses the GIN
expression index of migration search 0004."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from cms.models import StandardPage
from tests.conftest import require_service
from tests.factories.cms import publish_child

pytestmark = pytest.mark.django_db


def test_wagtail_page_search_finds_a_page(site):
    page = publish_child(site["en"], StandardPage, title="Okapi curriculum", intro="<p>Kigali 2011</p>")
    assert page.pk in [result.pk for result in Page.objects.live().search("okapi", operator="and")]


def test_the_wagtail_query_uses_the_gin_expression_index(site):
    require_service("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database")
    publish_child(site["en"], StandardPage, title="Okapi curriculum")
    with CaptureQueriesContext(connection) as queries:
        list(Page.objects.live().search("okapi", operator="and")[:5])
    search_sql = next(query["sql"] for query in queries.captured_queries if "@@" in query["sql"])
    with connection.cursor() as cursor:
        # A test database is tiny: without these the planner would read the few rows directly.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(f"EXPLAIN {search_sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_wagtail_indexentry_title_body" in plan, plan
