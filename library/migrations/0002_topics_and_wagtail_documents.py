"""Seed the topic taxonomy and move the documents uploaded before the library into it.

Each wagtaildocs.Document becomes a library.Document with the same id (pages' document blocks and rich-text
links store ids, so they keep working), public as it was, with its tags and a first version. Its file moves
from the public media folder to the private storage under a new random name.
"""

import os
import uuid

from django.core.management.color import no_style
from django.db import migrations

TOPICS = [
    ("sgbv-prevention-investigation", "SGBV prevention and investigation", "Prévention des VSBG et enquêtes"),
    ("gender-mainstreaming", "Gender mainstreaming", "Intégration de la dimension de genre"),
    ("mentoring", "Mentoring", "Mentorat"),
    ("leadership", "Leadership", "Leadership"),
    ("recruitment", "Recruitment and retention", "Recrutement et fidélisation"),
    ("community-policing", "Community policing", "Police de proximité"),
    ("pre-deployment", "Pre-deployment training", "Formation préalable au déploiement"),
    ("women-peace-security", "Women, peace and security", "Femmes, paix et sécurité"),
]


def seed_topics(apps, schema_editor):
    Topic = apps.get_model("library", "Topic")
    for order, (slug, name, name_fr) in enumerate(TOPICS):
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "name_fr": name_fr, "sort_order": order})


def _move_file(name: str) -> str:
    from django.core.files.storage import default_storage

    from network.models.accounts import private_storage

    if not name or not default_storage.exists(name):
        return name
    extension = name.rsplit(".", 1)[-1].lower() if "." in os.path.basename(name) else "bin"
    new_name = f"library/{uuid.uuid4().hex}.{extension[:8]}"
    with default_storage.open(name, "rb") as handle:
        new_name = private_storage.save(new_name, handle)
    default_storage.delete(name)
    return new_name


def copy_wagtail_documents(apps, schema_editor):
    OldDocument = apps.get_model("wagtaildocs", "Document")
    Document = apps.get_model("library", "Document")
    DocumentVersion = apps.get_model("library", "DocumentVersion")
    ContentType = apps.get_model("contenttypes", "ContentType")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    copied = []
    for old in OldDocument.objects.order_by("pk"):
        if Document.objects.filter(pk=old.pk).exists():
            continue
        name = _move_file(old.file.name)
        document = Document.objects.create(
            pk=old.pk,
            title=old.title,
            file=name,
            collection_id=old.collection_id,
            uploaded_by_user_id=old.uploaded_by_user_id,
            file_size=old.file_size,
            file_hash=old.file_hash,
            access_level=0,
            is_restricted=False,
        )
        Document.objects.filter(pk=document.pk).update(created_at=old.created_at)
        DocumentVersion.objects.update_or_create(
            document=document,
            number=1,
            defaults={
                "file": name,
                "original_name": os.path.basename(old.file.name),
                "file_size": old.file_size,
                "uploaded_by_id": old.uploaded_by_user_id,
            },
        )
        copied.append(document.pk)
    if not copied:
        return
    old_type = ContentType.objects.filter(app_label="wagtaildocs", model="document").first()
    new_type, _created = ContentType.objects.get_or_create(app_label="library", model="document")
    if old_type is not None:
        for item in TaggedItem.objects.filter(content_type=old_type, object_id__in=copied):
            TaggedItem.objects.get_or_create(content_type=new_type, object_id=item.object_id, tag_id=item.tag_id)
    # Rows were written with explicit ids: the next upload must not reuse one.
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Document]):
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0001_initial"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunPython(seed_topics, migrations.RunPython.noop),
        migrations.RunPython(copy_wagtail_documents, migrations.RunPython.noop),
    ]
