"""Wagtail's document URLs, with the file itself served by the library (library.views.wagtail_document):
mounted at /documents/ in place of wagtail.documents.urls, under the same URL names."""

from django.urls import path, re_path
from wagtail.documents.views import serve

from library import views

urlpatterns = [
    re_path(r"^(\d+)/(.*)$", views.wagtail_document, name="wagtaildocs_serve"),
    path(
        "authenticate_with_password/<int:restriction_id>/",
        serve.authenticate_with_password,
        name="wagtaildocs_authenticate_with_password",
    ),
]
