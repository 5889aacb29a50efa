"""Campaign models left for the campaigns app (campaigns/migrations/0001_initial.py): state only, the tables and
rows stay, and their content types move with them."""

from django.db import migrations

CAMPAIGN_MODELS = [
    "advocacyaction",
    "campaign",
    "campaigncontributor",
    "progresssnapshot",
    "recordedvalue",
    "statisticpoint",
    "statisticseries",
    "target",
]


def _move(apps, source: str, destination: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in CAMPAIGN_MODELS:
        old = ContentType.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue
        if ContentType.objects.filter(app_label=destination, model=model).exists():
            # Created by an earlier run of post_migrate; the old one holds the references, so it wins.
            ContentType.objects.filter(app_label=destination, model=model).delete()
        old.app_label = destination
        old.save(update_fields=["app_label"])


def move_content_types(apps, schema_editor):
    _move(apps, "network", "campaigns")


def move_content_types_back(apps, schema_editor):
    _move(apps, "campaigns", "network")


class Migration(migrations.Migration):

    dependencies = [
        ('cms', '0004_campaign_fields_point_at_campaigns_app'),
        ('network', '0006_directory_search_indexes'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='campaigncontributor',
                    name='campaign',
                ),
                migrations.RemoveField(
                    model_name='target',
                    name='campaign',
                ),
                migrations.RemoveField(
                    model_name='campaigncontributor',
                    name='member',
                ),
                migrations.RemoveField(
                    model_name='progresssnapshot',
                    name='target',
                ),
                migrations.RemoveField(
                    model_name='recordedvalue',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='recordedvalue',
                    name='target',
                ),
                migrations.RemoveField(
                    model_name='statisticpoint',
                    name='series',
                ),
                migrations.RemoveField(
                    model_name='target',
                    name='statistic_series',
                ),
                migrations.DeleteModel(
                    name='AdvocacyAction',
                ),
                migrations.DeleteModel(
                    name='Campaign',
                ),
                migrations.DeleteModel(
                    name='CampaignContributor',
                ),
                migrations.DeleteModel(
                    name='ProgressSnapshot',
                ),
                migrations.DeleteModel(
                    name='RecordedValue',
                ),
                migrations.DeleteModel(
                    name='StatisticPoint',
                ),
                migrations.DeleteModel(
                    name='StatisticSeries',
                ),
                migrations.DeleteModel(
                    name='Target',
                ),
            ],
            # The tables already exist under these names (db_table): nothing changes in the database.
            database_operations=[],
        ),
        # Content types (and so permissions, audit targets, Wagtail references) follow the models to their app.
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
