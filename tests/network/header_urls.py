"""The site's URLs plus two probes for tests/network/test_header_queries.py: the benchmark's bare signed-in view
(routed by config/urls.py only with BENCH_VIEWS) and a page that is nothing but base.html."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from network.views import bench

PLAIN_PAGE = '{% extends "base.html" %}{% block head_title %}Plain{% endblock %}{% block content %}<p>Plain page.</p>{% endblock %}'


@login_required
def plain_page(request):
    return HttpResponse(engines["django"].from_string(PLAIN_PAGE).render({}, request))


urlpatterns = [
    path("bench/signed-in/", bench.signed_in, name="bench_signed_in"),
    path("header-probe/", plain_page, name="header_probe"),
    *site_urlpatterns,
]
