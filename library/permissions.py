"""Who may open a library document, stated in network.permissions' access levels and staff roles.

- A document is open to everyone from its `access_level` up (public, members, network, Community of Practice).
- A restricted document is open only to the people and groups granted `library.view_document` on it, and a
  grant never lifts anyone above the document's level (nor below "members": a grant needs an account).
- Editors and administrators (network.permissions.can_edit_content) see every document: they publish them.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from network.choices import AccessLevel
from network.permissions import User_, access_level, can_access_object, can_edit_content, filter_objects_for_user

VIEW_PERM = "library.view_document"


def can_manage_library(user: User_) -> bool:
    """Editors see every document, and the "French version missing" notes meant for them."""
    return can_edit_content(user)


def _grant_level(document) -> AccessLevel:
    return AccessLevel(max(int(document.access_level), int(AccessLevel.MEMBERS)))


def can_view_document(user: User_, document) -> bool:
    if can_manage_library(user):
        return True
    if access_level(user) < document.access_level:
        return False
    if not document.is_restricted:
        return True
    return can_access_object(user, VIEW_PERM, document, level=_grant_level(document))


def check_can_view_document(user: User_, document) -> None:
    if not can_view_document(user, document):
        raise PermissionDenied


def filter_documents_for_user(user: User_, documents: QuerySet) -> QuerySet:
    """The documents the user may open, as one filter of the query (counted and paged after it)."""
    if can_manage_library(user):
        return documents
    level = access_level(user)
    visible = Q(access_level__lte=level, is_restricted=False)
    if level >= AccessLevel.MEMBERS:
        restricted = documents.model.objects.filter(is_restricted=True, access_level__lte=level)
        granted = filter_objects_for_user(user, VIEW_PERM, restricted, level=AccessLevel.MEMBERS)
        visible |= Q(pk__in=granted.values("pk"))
    return documents.filter(visible)


def is_private_download(document) -> bool:
    """Downloads of documents that are not public are recorded in the audit log."""
    return not document.is_public
