"""The library in the Wagtail admin (the topics viewset), and the library's policy on Wagtail's document
serving: /documents/<id>/<name> is routed to library.views.wagtail_document; should Wagtail's own serve view
be reached another way, this hook still refuses a document the viewer may not open."""

from django.http import Http404
from wagtail import hooks

from library.permissions import can_view_document
from library.viewsets import topic_viewset


@hooks.register("register_admin_viewset")
def register_topic_admin():
    return topic_viewset


@hooks.register("before_serve_document", order=100)
def refuse_documents_outside_the_policy(document, request):
    if not can_view_document(request.user, document):
        raise Http404
