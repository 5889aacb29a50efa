"""get_engine(): the database's engine by default; Elasticsearch only when configured and answering, otherwise a
fallback that is logged and shown on the Wagtail dashboard."""

import logging
import socket

import pytest
from django.db import connection

from search import engines
from tests.factories.staff import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_ping():
    engines.reset()
    yield
    engines.reset()


@pytest.fixture
def dead_cluster(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{port}"
    return settings.ELASTICSEARCH_URL


def test_without_elasticsearch_the_database_engine_searches(settings):
    settings.ELASTICSEARCH_URL = ""
    assert engines.get_engine().name == connection.vendor
    assert engines.fallback_reason() == ""


def test_an_unreachable_cluster_falls_back_with_a_warning(dead_cluster, caplog):
    with caplog.at_level(logging.WARNING, logger="search.engines"):
        engine = engines.get_engine()
        engines.get_engine()  # the ping's answer is kept: one warning
    assert engine.name == connection.vendor
    warnings = [record for record in caplog.records if "falls back" in record.getMessage()]
    assert len(warnings) == 1
    assert "does not answer" in engines.fallback_reason()


def test_the_admin_dashboard_says_so(client, dead_cluster):
    admin = make_staff(superuser=True)
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert b"Site search falls back to the database" in response.content


def test_the_search_page_works_while_the_cluster_is_down(client, site, dead_cluster):
    assert client.get("/en/search/", {"q": "training"}).status_code == 200
