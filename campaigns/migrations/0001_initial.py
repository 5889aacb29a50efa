"""Campaign models moved from `network` into this app: state only, the tables and rows stay as they are."""

import django.core.validators
import django.db.models.deletion
import django_countries.fields
import modelcluster.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('network', '0006_directory_search_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='StatisticSeries',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('unit', models.CharField(choices=[('count', 'Count'), ('percent', 'Percent')], default='count', max_length=20, verbose_name='unit')),
                        ('source', models.CharField(blank=True, max_length=300, verbose_name='source')),
                    ],
                    options={
                        'verbose_name': 'statistic series',
                        'verbose_name_plural': 'statistic series',
                        'db_table': 'network_statisticseries',
                    },
                ),
                migrations.CreateModel(
                    name='Campaign',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('slug', models.SlugField(unique=True, verbose_name='slug')),
                        ('summary', models.TextField(blank=True, verbose_name='summary')),
                        ('start_date', models.DateField(verbose_name='start')),
                        ('deadline', models.DateField(verbose_name='deadline')),
                        ('visibility', models.CharField(choices=[('public', 'Public'), ('members', 'Members only')], default='public', max_length=20, verbose_name='who may see it')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        'verbose_name': 'campaign',
                        'verbose_name_plural': 'campaigns',
                        'db_table': 'network_campaign',
                        'ordering': ['-start_date'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('deadline__gt', models.F('start_date'))), name='campaign_deadline_after_start')],
                    },
                ),
                migrations.CreateModel(
                    name='Target',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('source', models.CharField(choices=[('computed', 'Computed from platform data'), ('recorded', 'Recorded values'), ('statistic', 'Statistic series')], max_length=20, verbose_name='metric source')),
                        ('metric', models.CharField(blank=True, max_length=60, verbose_name='computed metric')),
                        ('target_value', models.DecimalField(decimal_places=2, max_digits=14, validators=[django.core.validators.MinValueValidator(0)], verbose_name='target')),
                        ('baseline', models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name='baseline')),
                        ('unit', models.CharField(choices=[('count', 'Count'), ('percent', 'Percent')], default='count', max_length=20, verbose_name='unit')),
                        ('sort_order', models.PositiveSmallIntegerField(default=0)),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='targets', to='campaigns.campaign')),
                        ('statistic_series', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='campaigns.statisticseries', verbose_name='statistic series')),
                    ],
                    options={
                        'verbose_name': 'target',
                        'verbose_name_plural': 'targets',
                        'db_table': 'network_target',
                        'ordering': ['campaign', 'sort_order', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='AdvocacyAction',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('talk', 'Talk or presentation'), ('recruitment', 'Recruitment drive'), ('media', 'Media piece'), ('meeting', 'Meeting'), ('other', 'Other')], max_length=20, verbose_name='kind of action')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('description', models.TextField(blank=True, max_length=2000, verbose_name='description')),
                        ('country', django_countries.fields.CountryField(blank=True, max_length=2, verbose_name='country')),
                        ('place', models.CharField(blank=True, max_length=200, verbose_name='place')),
                        ('date', models.DateField(verbose_name='date')),
                        ('people_reached', models.PositiveIntegerField(default=0, verbose_name='people reached')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='advocacy_actions', to='network.member')),
                    ],
                    options={
                        'verbose_name': 'advocacy action',
                        'verbose_name_plural': 'advocacy actions',
                        'db_table': 'network_advocacyaction',
                        'ordering': ['-date', '-pk'],
                        'indexes': [models.Index(fields=['date'], name='network_adv_date_2c44b2_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='CampaignContributor',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('joined_at', models.DateTimeField(auto_now_add=True)),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contributors', to='campaigns.campaign')),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='campaigns_contributed', to='network.member')),
                    ],
                    options={
                        'db_table': 'network_campaigncontributor',
                        'constraints': [models.UniqueConstraint(fields=('campaign', 'member'), name='one_listing_per_campaign_member')],
                    },
                ),
                migrations.CreateModel(
                    name='StatisticPoint',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('value', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='value')),
                        ('series', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='points', to='campaigns.statisticseries')),
                    ],
                    options={
                        'db_table': 'network_statisticpoint',
                        'ordering': ['sort_order'],
                        'abstract': False,
                        'constraints': [models.UniqueConstraint(fields=('series', 'year'), name='one_point_per_series_year')],
                    },
                ),
                migrations.CreateModel(
                    name='RecordedValue',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='date')),
                        ('value', models.DecimalField(decimal_places=2, max_digits=14, validators=[django.core.validators.MinValueValidator(0)], verbose_name='value')),
                        ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('target', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recorded_values', to='campaigns.target')),
                    ],
                    options={
                        'db_table': 'network_recordedvalue',
                        'ordering': ['target', 'date'],
                        'constraints': [models.UniqueConstraint(fields=('target', 'date'), name='one_recorded_value_per_day')],
                    },
                ),
                migrations.CreateModel(
                    name='ProgressSnapshot',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField()),
                        ('value', models.DecimalField(decimal_places=2, max_digits=14)),
                        ('breakdown', models.JSONField(blank=True, default=dict)),
                        ('target', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='snapshots', to='campaigns.target')),
                    ],
                    options={
                        'db_table': 'network_progresssnapshot',
                        'ordering': ['target', 'date'],
                        'constraints': [models.UniqueConstraint(fields=('target', 'date'), name='one_snapshot_per_target_day')],
                    },
                ),
            ],
            # The tables already exist under these names (db_table): nothing changes in the database.
            database_operations=[],
        ),
    ]
