"""Moving the campaign models from `network` into `campaigns` keeps every row, key and content type."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("network", "0006_directory_search_indexes"), ("cms", "0003_featured_member_drafts"), ("campaigns", None)]
AFTER = [
    ("network", "0007_campaigns_moved_to_their_app"),
    ("cms", "0004_campaign_fields_point_at_campaigns_app"),
    ("campaigns", "0001_initial"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([(app, name) for app, name in targets if name]).apps


@pytest.mark.django_db(transaction=True)
def test_campaign_rows_from_the_old_layout_survive_the_move_with_their_keys():
    old = migrate(BEFORE)
    ContentType = old.get_model("contenttypes", "ContentType")
    for model in ("campaign", "target", "advocacyaction", "statisticseries"):
        # As on a site that ran before the move: content types exist under `network`.
        ContentType.objects.get_or_create(app_label="network", model=model)
    campaign_type = ContentType.objects.get(app_label="network", model="campaign")

    user = old.get_model("network", "User").objects.create(email="amina@example.org", first_name="Amina")
    member = old.get_model("network", "Member").objects.create(user=user, category="active")
    series = old.get_model("network", "StatisticSeries").objects.create(title="Women in UN police", unit="percent")
    old.get_model("network", "StatisticPoint").objects.create(series=series, year=2012, value=Decimal("9.7"))
    campaign = old.get_model("network", "Campaign").objects.create(
        title="Race to 2014",
        slug="race-to-2014",
        start_date=datetime.date(2009, 8, 1),
        deadline=datetime.date(2014, 12, 31),
    )
    Target = old.get_model("network", "Target")
    computed = Target.objects.create(
        campaign=campaign, title="Members", source="computed", metric="members", target_value=500
    )
    statistic = Target.objects.create(
        campaign=campaign, title="Share", source="statistic", statistic_series=series, target_value=20
    )
    old.get_model("network", "ProgressSnapshot").objects.create(
        target=computed, date=datetime.date(2013, 1, 1), value=120, breakdown={"category": {"active": 120}}
    )
    old.get_model("network", "RecordedValue").objects.create(
        target=computed, date=datetime.date(2013, 2, 1), value=130, created_by=user
    )
    action = old.get_model("network", "AdvocacyAction").objects.create(
        member=member, kind="talk", title="Talk at the academy", date=datetime.date(2013, 3, 1), people_reached=40
    )
    old.get_model("network", "CampaignContributor").objects.create(campaign=campaign, member=member)

    new = migrate(AFTER)

    Campaign = new.get_model("campaigns", "Campaign")
    moved = Campaign.objects.get(pk=campaign.pk)
    assert moved.title == "Race to 2014"
    targets = {target.pk: target for target in new.get_model("campaigns", "Target").objects.all()}
    assert set(targets) == {computed.pk, statistic.pk}
    assert targets[statistic.pk].statistic_series.title == "Women in UN police"
    assert targets[statistic.pk].statistic_series.points.get().value == Decimal("9.7")
    assert targets[computed.pk].campaign_id == campaign.pk
    snapshot = new.get_model("campaigns", "ProgressSnapshot").objects.get()
    assert (snapshot.target_id, snapshot.value, snapshot.breakdown) == (computed.pk, 120, {"category": {"active": 120}})
    recorded = new.get_model("campaigns", "RecordedValue").objects.get()
    assert (recorded.target_id, recorded.created_by.email) == (computed.pk, "amina@example.org")
    moved_action = new.get_model("campaigns", "AdvocacyAction").objects.get()
    assert (moved_action.pk, moved_action.member.user.email) == (action.pk, "amina@example.org")
    contributor = new.get_model("campaigns", "CampaignContributor").objects.get()
    assert (contributor.campaign_id, contributor.member_id) == (campaign.pk, member.pk)

    # The content type row itself moved, so whatever points at it (permissions, audit entries) still does.
    NewContentType = new.get_model("contenttypes", "ContentType")
    assert NewContentType.objects.get(pk=campaign_type.pk).app_label == "campaigns"
    assert not NewContentType.objects.filter(app_label="network", model__in=["campaign", "target"]).exists()

    # New rows go on from the old sequences, in the same tables.
    later = Campaign.objects.create(
        title="Next", slug="next", start_date=datetime.date(2015, 1, 1), deadline=datetime.date(2020, 1, 1)
    )
    assert later.pk > campaign.pk
    assert Campaign._meta.db_table == "network_campaign"
