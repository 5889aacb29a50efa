"""Catch-alls for the Wagtail admin's own upload views (the multiple uploader saves documents without our form's
save): a saved document whose file has no version row gets one, through the service. Deleted versions and
previews take their files with them, once the deletion commits."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save


def _document_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or not instance.file:
        return
    if update_fields is not None and "file" not in update_fields:
        return
    from library.services import record_file_version

    actor = getattr(instance, "_version_actor", None) or instance.uploaded_by_user
    record_file_version(instance, actor=actor)


def _delete_stored(field_file) -> None:
    if field_file and field_file.name:
        storage, name = field_file.storage, field_file.name
        transaction.on_commit(lambda: storage.delete(name))


def _document_deleted(sender, instance, **kwargs):
    _delete_stored(instance.preview)


def _version_deleted(sender, instance, **kwargs):
    _delete_stored(instance.file)


def connect() -> None:
    from library.models import Document, DocumentVersion

    post_save.connect(_document_saved, sender=Document, dispatch_uid="library_document_saved")
    post_delete.connect(_document_deleted, sender=Document, dispatch_uid="library_document_deleted")
    post_delete.connect(_version_deleted, sender=DocumentVersion, dispatch_uid="library_version_deleted")


EDITOR_DOCUMENT_PERMISSIONS = ("add_document", "change_document", "delete_document", "choose_document")


def grant_editors_document_permissions(sender, apps=None, using="default", **kwargs):
    """After migrations: editors and administrators may upload and edit documents in every collection of the
    Wagtail admin (Wagtail gave its "Editors" group these permissions on its own document model only)."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Collection, GroupCollectionPermission

    from network.choices import StaffRole

    create_permissions(sender, verbosity=0, using=using)
    root = Collection.get_first_root_node()
    if root is None:
        return
    permissions = list(
        Permission.objects.filter(content_type__app_label="library", codename__in=EDITOR_DOCUMENT_PERMISSIONS)
    )
    for role in (StaffRole.EDITOR, StaffRole.ADMINISTRATOR):
        group, _created = Group.objects.get_or_create(name=role.value)
        for permission in permissions:
            GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)
