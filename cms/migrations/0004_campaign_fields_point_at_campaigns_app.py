"""Page fields that point at campaigns now point at the campaigns app's models (same tables): state only."""

import django.db.models.deletion
import wagtail.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0001_initial'),
        ('cms', '0003_featured_member_drafts'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='campaignpage',
                    name='campaign',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='campaigns.campaign', verbose_name='campaign'),
                ),
                migrations.AlterField(
                    model_name='homepage',
                    name='featured_campaign',
                    field=models.ForeignKey(blank=True, help_text='Its targets and their progress are shown on the home page.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='campaigns.campaign', verbose_name='campaign shown'),
                ),
                migrations.AlterField(
                    model_name='statisticspage',
                    name='charts',
                    field=wagtail.fields.StreamField([('chart', 2), ('paragraph', 3), ('statistic', 7)], blank=True, block_lookup={0: ('wagtail.snippets.blocks.SnippetChooserBlock', ('campaigns.StatisticSeries',), {'label': 'statistic series'}), 1: ('wagtail.blocks.TextBlock', (), {'label': 'note', 'required': False}), 2: ('wagtail.blocks.StructBlock', [[('series', 0), ('note', 1)]], {}), 3: ('wagtail.blocks.RichTextBlock', (), {'features': ['h2', 'h3', 'h4', 'bold', 'italic', 'link', 'document-link', 'ol', 'ul'], 'label': 'Rich text', 'template': 'cms/blocks/paragraph.html'}), 4: ('wagtail.blocks.CharBlock', (), {'help_text': 'e.g. 1,230 or 10 %', 'label': 'number', 'max_length': 30}), 5: ('wagtail.blocks.CharBlock', (), {'label': 'label', 'max_length': 200}), 6: ('wagtail.blocks.CharBlock', (), {'label': 'source', 'max_length': 200, 'required': False}), 7: ('wagtail.blocks.StructBlock', [[('number', 4), ('label', 5), ('source', 6)]], {})}, verbose_name='charts'),
                ),
            ],
            # The tables already exist under these names (db_table): nothing changes in the database.
            database_operations=[],
        ),
    ]
