"""The library in the Wagtail admin (the topics viewset) and Wagtail's own document URL
(/documents/<id>/<name>) answered by the library's access policy."""

from django.http import Http404
from wagtail import hooks

from library import services
from library.permissions import can_view_document
from library.serving import file_response
from library.viewsets import topic_viewset


@hooks.register("register_admin_viewset")
def register_topic_admin():
    return topic_viewset


# After Wagtail's own check of collection view restrictions (order 0): a document it lets through is served
# here, with the library's headers, counting and audit, and one the viewer may not open is not found.
@hooks.register("before_serve_document", order=100)
def serve_through_library_policy(document, request):
    if not can_view_document(request.user, document):
        raise Http404
    response = file_response(
        document.file, filename=document.download_name, extension=document.file_extension, public=document.is_public
    )
    services.record_download(document, actor=request.user)
    return response
