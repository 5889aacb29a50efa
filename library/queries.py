"""Reads of the library for its pages: every list is narrowed by library.permissions in the query itself,
before counting and paging."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, QuerySet, Window
from django.shortcuts import get_object_or_404

from library.models import Document, DocumentVersion, Topic
from library.permissions import filter_documents_for_user

PER_PAGE = 20


def visible_documents(user) -> QuerySet[Document]:
    return filter_documents_for_user(user, Document.objects.all())


def list_documents(user, *, topic: str = "", document_type: str = "", language: str = "", year=None, page=1) -> Page:
    """One page of the documents the user may open, newest year first, with the filters asked for."""
    documents = visible_documents(user)
    if topic:
        documents = documents.filter(topics__slug=topic)
    if document_type:
        documents = documents.filter(document_type=document_type)
    if language:
        documents = documents.filter(language=language)
    if year:
        documents = documents.filter(year=year)
    documents = documents.order_by("-year", "title", "pk").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("sort_order", "name"))
    )
    return Paginator(documents, PER_PAGE).get_page(page)


def facet_counts(user) -> dict:
    """How many documents the user may open per topic, type, language and year (for the browse links)."""
    documents = visible_documents(user)
    topics = list(
        Topic.objects.filter(documents__in=documents)
        .annotate(document_count=Count("documents", distinct=True))
        .order_by("sort_order", "name")
    )

    def counts(field: str) -> list[tuple]:
        rows = documents.exclude(**{f"{field}__isnull": True}).values_list(field).annotate(n=Count("pk"))
        return sorted((value, n) for value, n in rows if value not in ("", None))

    return {
        "topics": topics,
        "types": counts("document_type"),
        "languages": counts("language"),
        "years": sorted(counts("year"), reverse=True),
    }


def get_document_for_user(user, pk: int) -> Document:
    """The document if the user may open it; 404 otherwise (nobody learns that a restricted one exists)."""
    return get_object_or_404(
        visible_documents(user).select_related("translation_of", "collection").prefetch_related("topics"), pk=pk
    )


def document_versions(document: Document) -> list[DocumentVersion]:
    return list(document.versions.select_related("uploaded_by").order_by("-number"))


def translations_of(user, document: Document) -> list[Document]:
    """The other language versions of the document that the user may open ("also in French")."""
    root_id = document.translation_of_id or document.pk
    family = visible_documents(user).filter(pk=root_id) | visible_documents(user).filter(translation_of_id=root_id)
    return [other for other in family.order_by("language", "pk") if other.pk != document.pk]


def has_translation_in(document: Document, language: str) -> bool:
    """Whether any version of the document in `language` exists, visible or not (for editors' notes)."""
    root_id = document.translation_of_id or document.pk
    family = Document.objects.filter(pk=root_id) | Document.objects.filter(translation_of_id=root_id)
    return family.filter(language=language).exists()


def latest_documents(user, limit: int = 5) -> list[Document]:
    return list(visible_documents(user).order_by("-created_at", "-pk")[:limit])


def latest_documents_and_count(user, limit: int = 3) -> tuple[list[Document], int]:
    """The newest documents she may open and how many she may open in all, in one query (a window count)."""
    documents = list(
        visible_documents(user).annotate(visible_total=Window(Count("pk"))).order_by("-created_at", "-pk")[:limit]
    )
    return documents, documents[0].visible_total if documents else 0
