"""The library's pages: browse (GET filters), a document, and its files, each behind library.permissions.
A document the viewer may not open answers 404, the same as one that does not exist."""

from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from library import queries, services
from library.forms import BrowseForm
from library.models import DocumentVersion
from library.permissions import can_manage_library
from network.files import file_response


@require_safe
def library_home(request):
    form = BrowseForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    page = queries.list_documents(request.user, page=request.GET.get("page") or 1, **filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "library/home.html",
        {
            "form": form,
            "page": page,
            "documents": page.object_list,
            "facets": queries.facet_counts(request.user),
            "filters": filters,
            "querystring": query.urlencode(),
        },
    )


@require_safe
def document_detail(request, pk: int):
    document = queries.get_document_for_user(request.user, pk)
    manager = can_manage_library(request.user)
    missing_french = manager and document.language == "en" and not queries.has_translation_in(document, "fr")
    return render(
        request,
        "library/document_detail.html",
        {
            "document": document,
            "versions": queries.document_versions(document),
            "translations": queries.translations_of(request.user, document),
            "can_manage": manager,
            "missing_french": missing_french,
        },
    )


@require_safe
def document_download(request, pk: int):
    document = queries.get_document_for_user(request.user, pk)
    response = file_response(
        document.file, filename=document.download_name, extension=document.file_extension, public=document.is_public
    )
    services.record_download(document, actor=request.user)
    return response


@require_safe
def version_download(request, pk: int, number: int):
    document = queries.get_document_for_user(request.user, pk)
    version = get_object_or_404(DocumentVersion, document=document, number=number)
    stem = document.download_name.rsplit(".", 1)[0]
    response = file_response(
        version.file,
        filename=f"{stem}-v{version.number}.{version.file_extension}",
        extension=version.file_extension,
        public=document.is_public,
    )
    services.record_download(document, actor=request.user, version=version)
    return response


@require_safe
def document_preview(request, pk: int):
    document = queries.get_document_for_user(request.user, pk)
    if not document.preview:
        raise Http404
    return file_response(
        document.preview, filename=f"preview-{document.pk}.png", extension="png", public=document.is_public
    )


def wagtail_document(request, document_id: str, document_filename: str):
    """Wagtail's document URL (/documents/<id>/<name>, what `document.url` and rich-text links give), served
    as the library serves: Wagtail's collection restrictions and hooks first, then the library's policy."""
    from wagtail import hooks
    from wagtail.documents.models import document_served

    document = queries.get_document_for_user(request.user, int(document_id))
    if document.filename != document_filename:
        raise Http404
    for hook in hooks.get_hooks("before_serve_document"):
        result = hook(document, request)
        if isinstance(result, HttpResponseBase):
            return result
    document_served.send(sender=type(document), instance=document, request=request)
    response = file_response(
        document.file, filename=document.download_name, extension=document.file_extension, public=document.is_public
    )
    services.record_download(document, actor=request.user)
    return response
