"""The inbound email webhook, routed outside the language prefixes (mail servers speak no language)."""

from django.urls import path

from forums import views_inbound

urlpatterns = [
    path("", views_inbound.receive_email, name="forums_inbound_email"),
]
