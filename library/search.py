"""What the site search indexes of the library (registered in library/apps.py): one entry per document, its
summary and extracted text as body, and the access labels the search filters on inside its query — the
document's level and, for a restricted document, the people ("u:<id>") and groups ("g:<id>") granted
`library.view_document` on it."""

from collections.abc import Iterable, Iterator

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation
from guardian.models import GroupObjectPermission, UserObjectPermission

from library.models import Document
from library.permissions import VIEW_PERM
from search.engines.base import SearchEntry

KIND = "document"
CHUNK = 500


def _grants(document_pks: list[int]) -> dict[int, list[str]]:
    grant = {
        "permission__content_type": ContentType.objects.get_for_model(Document),
        "permission__codename": VIEW_PERM.split(".", 1)[1],
        "object_pk__in": [str(pk) for pk in document_pks],
    }
    result: dict[int, list[str]] = {pk: [] for pk in document_pks}
    for object_pk, user_id in UserObjectPermission.objects.filter(**grant).values_list("object_pk", "user_id"):
        result[int(object_pk)].append(f"u:{user_id}")
    for object_pk, group_id in GroupObjectPermission.objects.filter(**grant).values_list("object_pk", "group_id"):
        result[int(object_pk)].append(f"g:{group_id}")
    return {pk: sorted(labels) for pk, labels in result.items()}


def _entry(document: Document, grants: tuple[str, ...]) -> SearchEntry:
    body = "\n\n".join(part for part in (document.summary, document.author, document.extracted_text) if part)
    with translation.override(document.language or "en"):
        url = reverse("library:document_detail", args=[document.pk])
    return SearchEntry(
        key=f"{KIND}:{document.pk}",
        kind=KIND,
        url=url,
        title=document.title,
        body=body,
        language=document.language,
        date=document.created_at,
        document_type=document.document_type,
        topics=tuple(topic.slug for topic in document.topics.all()),
        year=document.year,
        access_level=int(document.access_level),
        is_restricted=document.is_restricted,
        grants=grants,
    )


def document_entries(pks: Iterable[int] | None = None) -> Iterator[SearchEntry]:
    """The search entries of these documents (all of them when `pks` is None); every document is indexable."""
    documents = Document.objects.order_by("pk").prefetch_related("topics")
    if pks is not None:
        documents = documents.filter(pk__in=list(pks))
    batch: list[Document] = []
    for document in documents.iterator(chunk_size=CHUNK):
        batch.append(document)
        if len(batch) >= CHUNK:
            yield from _batch_entries(batch)
            batch = []
    if batch:
        yield from _batch_entries(batch)


def _batch_entries(batch: list[Document]) -> Iterator[SearchEntry]:
    restricted = [document.pk for document in batch if document.is_restricted]
    grants = _grants(restricted) if restricted else {}
    for document in batch:
        yield _entry(document, tuple(grants.get(document.pk, ())))


def granted_document_pks(permission) -> list[int]:
    """The document a guardian grant row is about, if it is about a library document."""
    if permission.content_type_id != ContentType.objects.get_for_model(Document).pk:
        return []
    try:
        return [int(permission.object_pk)]
    except (TypeError, ValueError):
        return []
