"""An unreachable cluster: the engine says so with ElasticsearchUnavailable (the caller falls back), never hangs."""

import socket

import pytest
from elasticsearch import Elasticsearch

from search.engines.base import SearchEntry, SearchQuery, Viewer
from search.engines.elastic import ElasticsearchEngine, ElasticsearchUnavailable


@pytest.fixture
def closed_port_url() -> str:
    # A port nobody listens on: bound, then released.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def engine(closed_port_url) -> ElasticsearchEngine:
    return ElasticsearchEngine(Elasticsearch(closed_port_url, request_timeout=2, max_retries=0), prefix="pk-test")


def test_ping_is_false_when_the_cluster_is_down(engine):
    assert engine.ping() is False


def test_every_operation_raises_elasticsearch_unavailable(engine):
    entry = SearchEntry(key="page:1", kind="page", url="/en/", title="Home", body="Welcome")
    with pytest.raises(ElasticsearchUnavailable, match="Elasticsearch searching"):
        engine.search(SearchQuery(text="welcome", viewer=Viewer()))
    with pytest.raises(ElasticsearchUnavailable):
        engine.index([entry])
    with pytest.raises(ElasticsearchUnavailable):
        engine.delete(["page:1"])
    with pytest.raises(ElasticsearchUnavailable):
        engine.keys("page")
    with pytest.raises(ElasticsearchUnavailable):
        engine.rebuild([entry])


def test_an_empty_query_needs_no_cluster(engine):
    results = engine.search(SearchQuery(text="  \x00 ", viewer=Viewer()))
    assert results.total == 0 and results.hits == []


def test_from_settings_reads_the_url_and_prefix(settings, closed_port_url):
    settings.ELASTICSEARCH_URL = closed_port_url
    settings.ELASTICSEARCH_INDEX_PREFIX = "staging"
    engine = ElasticsearchEngine.from_settings()
    assert engine.alias == "staging-search"
    assert engine.ping() is False


def test_from_settings_without_a_url_is_unavailable(settings):
    settings.ELASTICSEARCH_URL = ""
    with pytest.raises(ElasticsearchUnavailable, match="ELASTICSEARCH_URL"):
        ElasticsearchEngine.from_settings()


@pytest.fixture
def answering_server():
    """A local HTTP server that answers every request with one status, as a cluster behind a proxy might."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    state = {"status": 503}

    class Handler(BaseHTTPRequestHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            body = json.dumps({"error": {"type": "test", "reason": "refused"}, "status": state["status"]}).encode()
            self.send_response(state["status"])
            self.send_header("Content-Type", "application/json")
            self.send_header("X-Elastic-Product", "Elasticsearch")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", state
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("status", [401, 403, 404, 429, 503])
def test_an_error_answer_is_unavailable_with_its_status(answering_server, status):
    url, state = answering_server
    state["status"] = status
    engine = ElasticsearchEngine(Elasticsearch(url, request_timeout=2, max_retries=0), prefix="pk-test")
    assert engine.ping() is False
    with pytest.raises(ElasticsearchUnavailable, match=f"HTTP {status}"):
        engine.search(SearchQuery(text="welcome", viewer=Viewer()))
