"""Campaign snapshots, pages, visibility, CSV export and import, contributors and the admin."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from campaigns import services
from campaigns.choices import CampaignVisibility, MetricSource, TargetUnit
from campaigns.models import Campaign, CampaignContributor, ProgressSnapshot, RecordedValue, StatisticSeries, Target
from campaigns.tasks import snapshot_campaign_progress
from network.choices import MemberCategory, StaffRole
from network.page_cache import current_generation
from tests.factories.campaigns import (
    CampaignFactory,
    RecordedValueFactory,
    StatisticSeriesFactory,
    TargetFactory,
    add_points,
    make_staff_user,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


@pytest.fixture
def running():
    """A campaign running today, with a computed, a recorded and a statistic target."""
    campaign = CampaignFactory(
        slug="running", start_date=TODAY - datetime.timedelta(days=90), deadline=TODAY + datetime.timedelta(days=90)
    )
    members = TargetFactory(campaign=campaign, title="Members", metric="members_total", target_value=10, sort_order=1)
    signups = TargetFactory(campaign=campaign, title="Sign-ups", source=MetricSource.RECORDED, metric="", sort_order=2)
    series = StatisticSeriesFactory(title="Women among UN police (%)")
    add_points(series, {TODAY.year - 1: 7.0, TODAY.year: 8.0})
    share = TargetFactory(
        campaign=campaign,
        title="Share",
        source=MetricSource.STATISTIC,
        metric="",
        statistic_series=series,
        target_value=20,
        baseline=7,
        unit=TargetUnit.PERCENT,
        sort_order=3,
    )
    RecordedValueFactory(target=signups, date=TODAY - datetime.timedelta(days=30), value=Decimal(40))
    return campaign, members, signups, share


def members_only_campaign():
    campaign = CampaignFactory(slug="inner-circle", title="Inner circle", visibility=CampaignVisibility.MEMBERS)
    target = TargetFactory(campaign=campaign, title="Hidden target")
    ProgressSnapshot.objects.create(target=target, date=datetime.date(2012, 1, 1), value=5)
    return campaign, target


# --- snapshots -----------------------------------------------------------------------------------------


def test_snapshot_task_stores_one_row_per_target_and_day_even_when_run_twice(running, member_of):
    campaign, members, signups, share = running
    member_of("active")
    snapshot_campaign_progress.delay()
    snapshot_campaign_progress.delay()
    rows = ProgressSnapshot.objects.filter(target__campaign=campaign)
    assert rows.count() == 6  # three targets, yesterday and today
    assert set(rows.values_list("date", flat=True)) == {YESTERDAY, TODAY}
    today = {row.target_id: row for row in rows.filter(date=TODAY)}
    assert today[members.pk].value == 1
    assert today[members.pk].breakdown["category"] == {"active": 1}
    assert today[signups.pk].value == 40
    assert today[share.pk].value == Decimal("8.0")


def test_snapshot_of_today_follows_new_members(running, member_of):
    _campaign, members, _signups, _share = running
    snapshot_campaign_progress.delay()
    member_of("observer")
    snapshot_campaign_progress.delay()
    assert ProgressSnapshot.objects.get(target=members, date=TODAY).value == 1


def test_snapshot_task_skips_campaigns_not_running_and_unknown_metrics():
    CampaignFactory(start_date=datetime.date(2010, 1, 1), deadline=datetime.date(2011, 1, 1))
    TargetFactory(campaign=Campaign.objects.get())
    future = CampaignFactory(
        start_date=TODAY + datetime.timedelta(days=5), deadline=TODAY + datetime.timedelta(days=50)
    )
    TargetFactory(campaign=future)
    running = CampaignFactory(
        start_date=TODAY - datetime.timedelta(days=5), deadline=TODAY + datetime.timedelta(days=50)
    )
    TargetFactory(campaign=running, metric="retired_metric")
    assert snapshot_campaign_progress.delay().get() == 0
    assert not ProgressSnapshot.objects.exists()


def test_campaign_ending_yesterday_gets_its_last_day_completed():
    campaign = CampaignFactory(start_date=TODAY - datetime.timedelta(days=30), deadline=YESTERDAY)
    TargetFactory(campaign=campaign)
    snapshot_campaign_progress.delay()
    assert list(ProgressSnapshot.objects.values_list("date", flat=True)) == [YESTERDAY]


def test_snapshot_task_invalidates_the_anonymous_page_cache(running):
    before = current_generation()
    snapshot_campaign_progress.delay()
    assert current_generation() > before


def test_backfill_command_recomputes_past_days_with_progress_and_is_idempotent(running, member_of, capsys):
    campaign, members, signups, share = running
    member_of("civilian")
    start = TODAY - datetime.timedelta(days=40)
    call_command("backfill_snapshots", campaign=campaign.slug, start=start.isoformat())
    call_command("backfill_snapshots", campaign=campaign.slug, start=start.isoformat())
    output = capsys.readouterr().out
    assert "41/41 days (100 %)" in output
    assert ProgressSnapshot.objects.filter(target=members).count() == 41
    # The recorded value of 30 days ago applies from that day on, not before.
    assert not ProgressSnapshot.objects.filter(target=signups, date=start).exists()
    assert ProgressSnapshot.objects.get(target=signups, date=TODAY - datetime.timedelta(days=30)).value == 40
    assert ProgressSnapshot.objects.filter(target=share).count() == 41


def test_backfill_command_refuses_unknown_campaign_and_bad_dates(running):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No campaign"):
        call_command("backfill_snapshots", campaign="nope", start="2014-01-01")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("backfill_snapshots", campaign="running", start="01/01/2014")


# --- pages ---------------------------------------------------------------------------------------------


def test_campaign_page_shows_bar_chart_status_table_and_breakdowns(client, running, member_of):
    campaign, members, _signups, _share = running
    for _n in range(3):
        member_of("active", country="RW")
    member_of("observer", country="SN")
    services.backfill_snapshots(campaign, start=TODAY - datetime.timedelta(days=20))
    page = client.get(f"/en/campaigns/{campaign.slug}/").content.decode()
    assert 'role="progressbar"' in page
    assert 'aria-valuenow="40"' in page  # 4 of 10 members
    assert "4 of 10 members (40\xa0%)" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg"' in page
    assert f'<title id="target-{members.pk}-chart-title">Members</title>' in page
    assert "Needs" in page or "On track" in page or "Behind" in page
    assert "Rwanda" in page and "Observer" in page
    assert "40 of 2,014 (2\xa0%)" in page  # recorded sign-ups
    assert "8\xa0% of 20\xa0% (8\xa0% of the way from 7\xa0%)" in page  # the statistic target


def queries_of(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_campaign_page_reads_history_in_few_queries_and_then_from_cache(
    client, site, running, member_of, django_assert_max_num_queries
):
    campaign, members, _signups, _share = running
    # Signed in, so the anonymous page cache does not answer for the view.
    client.force_login(member_of("observer").user)
    ProgressSnapshot.objects.bulk_create(
        ProgressSnapshot(target=members, date=TODAY - datetime.timedelta(days=days), value=90 - days)
        for days in range(90)
    )
    # What the site's layout (menus, branding) costs, measured on the campaign list (itself one query).
    layout = queries_of(client, "/en/campaigns/") - 1
    # Campaign, targets and contributors; the history once a day and target version: snapshots, latest
    # breakdown, recorded values, statistic points (one query per kind of source, whatever the targets).
    with django_assert_max_num_queries(layout + 7):
        assert client.get(f"/en/campaigns/{campaign.slug}/").status_code == 200
    # Then campaign, targets and their progress come from the cache: only the contributors are read (and
    # the viewer's staff roles, to offer nominations).
    with django_assert_max_num_queries(layout + 2):
        assert client.get(f"/en/campaigns/{campaign.slug}/").status_code == 200


def test_public_campaign_page_is_kept_whole_for_anonymous_visitors_and_replaced_on_change(
    client, site, running, member_of, django_capture_on_commit_callbacks
):
    campaign, _members, signups, _share = running
    url = f"/en/campaigns/{campaign.slug}/"
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        RecordedValue.objects.create(target=signups, date=TODAY, value=77)
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "77 of 2,014" in response.content.decode()
    member = member_of("active")
    member_client = type(client)()
    member_client.force_login(member.user)
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(f"{url}contributors/", {"action": "join"})
    assert member.display_name in client.get(url).content.decode()


def test_members_only_campaign_page_is_never_kept_in_the_page_cache(client, site, member_of):
    campaign, _target = members_only_campaign()
    client.force_login(member_of("observer").user)
    assert "X-Page-Cache" not in client.get(f"/en/campaigns/{campaign.slug}/")


def test_member_page_view_stays_within_a_few_queries(client, site, running, member_of, django_assert_max_num_queries):
    campaign, *_rest = running
    member = member_of("active")
    CampaignContributor.objects.create(campaign=campaign, member=member)
    for _n in range(5):
        CampaignContributor.objects.create(campaign=campaign, member=member_of("civilian"))
    client.force_login(member.user)
    client.get(f"/en/campaigns/{campaign.slug}/")
    layout = queries_of(client, "/en/campaigns/") - 1
    # Contributors and the viewer's staff roles (to offer nominations).
    with django_assert_max_num_queries(layout + 2):
        page = client.get(f"/en/campaigns/{campaign.slug}/").content.decode()
    assert "Remove my name from the list" in page


def test_cached_progress_changes_once_a_recorded_value_is_committed(
    client, running, django_capture_on_commit_callbacks
):
    campaign, _members, signups, _share = running
    url = f"/en/campaigns/{campaign.slug}/"
    assert "40 of 2,014" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks() as callbacks:
        RecordedValue.objects.create(target=signups, date=TODAY, value=55)
    # Not yet committed: the cached progress stays (a request now must not cache the old value anew).
    assert "40 of 2,014" in client.get(url).content.decode()
    for callback in callbacks:
        callback()
    assert "55 of 2,014" in client.get(url).content.decode()


def test_cached_progress_changes_when_the_target_or_series_changes(client, running, django_capture_on_commit_callbacks):
    campaign, members, _signups, share = running
    url = f"/en/campaigns/{campaign.slug}/"
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        members.title = "Members everywhere"
        members.save()
        point = share.statistic_series.points.get(year=TODAY.year)
        point.value = Decimal("9.5")
        point.save()
    page = client.get(url).content.decode()
    assert "Members everywhere" in page
    assert "9.5\xa0% of 20\xa0%" in page


def test_target_detail_page_has_the_table_and_csv_link(client, running):
    campaign, _members, signups, _share = running
    page = client.get(f"/en/campaigns/{campaign.slug}/targets/{signups.pk}/").content.decode()
    assert f"/en/campaigns/{campaign.slug}/targets/{signups.pk}/history.csv" in page
    assert "<caption>Sign-ups: values by date</caption>" in page
    assert '<td class="number">40</td>' in page
    assert "Recorded values" in page


def test_target_of_another_campaign_is_not_found(client, running):
    campaign, *_rest = running
    other = TargetFactory()
    assert client.get(f"/en/campaigns/{campaign.slug}/targets/{other.pk}/").status_code == 404
    assert client.get(f"/en/campaigns/{campaign.slug}/targets/{other.pk}/history.csv").status_code == 404


def test_french_campaign_page_formats_numbers_in_french(client, running):
    campaign, *_rest = running
    page = client.get(f"/fr/campaigns/{campaign.slug}/").content.decode()
    assert "2\xa0014" in page or "2\u202f014" in page


# --- members-only campaigns ----------------------------------------------------------------------------


@pytest.mark.parametrize("category", [None, ""])
def test_members_only_campaign_is_not_found_for_anonymous_and_applicants(client, member_of, category):
    campaign, target = members_only_campaign()
    if category is not None:
        client.force_login(member_of(category).user)
    base = f"/en/campaigns/{campaign.slug}/"
    for url in (base, f"{base}targets/{target.pk}/", f"{base}targets/{target.pk}/history.csv"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"{base}contributors/", {"action": "join"}).status_code in (302, 404)
    assert not CampaignContributor.objects.exists()
    listing = client.get("/en/campaigns/").content.decode()
    assert "Inner circle" not in listing


@pytest.mark.parametrize("category", ["observer", "active"])
def test_members_only_campaign_is_visible_to_members(client, member_of, category):
    campaign, target = members_only_campaign()
    client.force_login(member_of(category).user)
    assert client.get(f"/en/campaigns/{campaign.slug}/").status_code == 200
    assert client.get(f"/en/campaigns/{campaign.slug}/targets/{target.pk}/history.csv").status_code == 200
    assert "Inner circle" in client.get("/en/campaigns/").content.decode()


def test_members_only_campaign_is_visible_to_editors_without_a_category(client):
    campaign, _target = members_only_campaign()
    client.force_login(make_staff_user(StaffRole.EDITOR))
    assert client.get(f"/en/campaigns/{campaign.slug}/").status_code == 200


def test_target_progress_include_shows_nothing_of_a_hidden_campaign(member_of):
    _campaign, target = members_only_campaign()
    template = Template('{% include "campaigns/target_progress.html" %}')
    anonymous = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    anonymous.user = AnonymousUser()
    assert "progressbar" not in template.render(Context({"target": target, "request": anonymous}))
    observer = RequestFactory().get("/")
    observer.user = member_of("observer").user
    rendered = template.render(Context({"target": target, "request": observer}))
    assert "progressbar" in rendered
    assert "Hidden target" in rendered
    assert f"/en/campaigns/inner-circle/targets/{target.pk}/" in rendered


def test_series_chart_include_renders_svg_and_table():
    series = StatisticSeriesFactory(
        title="Authorised UN police strength", unit=TargetUnit.COUNT, source="United Nations"
    )
    add_points(series, {1995: 5840, 2017: 15000})
    rendered = Template('{% include "campaigns/series_chart.html" %}').render(Context({"series": series}))
    assert 'role="img"' in rendered
    assert "<title id=" in rendered and "<desc id=" in rendered
    assert '<th scope="row">1995</th><td class="number">5,840</td>' in rendered
    assert "Source: United Nations" in rendered


# --- CSV export and import -----------------------------------------------------------------------------


def test_history_csv_of_a_computed_target_lists_its_snapshots(client, running):
    campaign, members, *_rest = running
    ProgressSnapshot.objects.create(target=members, date=datetime.date(2020, 1, 2), value=Decimal("12.00"))
    response = client.get(f"/en/campaigns/{campaign.slug}/targets/{members.pk}/history.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode().splitlines() == ["date,value", "2020-01-02,12"]


def test_history_csv_of_a_statistic_target_lists_years(client, running):
    campaign, _members, _signups, share = running
    lines = client.get(f"/en/campaigns/{campaign.slug}/targets/{share.pk}/history.csv").content.decode().splitlines()
    assert lines == ["year,value", f"{TODAY.year - 1},7", f"{TODAY.year},8"]


def test_recorded_values_round_trip_through_csv_export_and_import(client, running):
    campaign, _members, signups, _share = running
    editor = make_staff_user(StaffRole.EDITOR)
    rows = [
        (datetime.date(2012, 1, 31), Decimal("1234.5"), "First count"),
        (datetime.date(2012, 2, 29), Decimal("1300"), "=SUM(A1:A2) looks like a formula"),
        (datetime.date(2012, 3, 31), Decimal("0"), ""),
    ]
    services.import_recorded_values(signups, rows, actor=editor)
    exported = client.get(f"/en/campaigns/{campaign.slug}/targets/{signups.pk}/history.csv").content
    assert b"'=SUM" in exported  # a spreadsheet will not run it
    parsed = services.parse_recorded_values_csv(exported)
    assert parsed.errors == []
    other = TargetFactory(campaign=campaign, source=MetricSource.RECORDED, metric="")
    assert services.import_recorded_values(other, parsed.rows, actor=editor) == (4, 0)
    original = list(signups.recorded_values.order_by("date").values_list("date", "value", "note"))
    copied = list(other.recorded_values.order_by("date").values_list("date", "value", "note"))
    assert copied == original
    # Importing the same file again replaces, and adds nothing.
    assert services.import_recorded_values(other, parsed.rows, actor=editor) == (0, 4)


def test_csv_with_bad_rows_reports_each_row_and_imports_nothing():
    content = (
        "date,value,note\n"
        "2012-01-31,100,ok\n"
        "31/01/2012,100,\n"
        "2012-02-29,abc,\n"
        "2012-03-31,-5,\n"
        '2012-04-30,"1,234",\n'
        "2012-01-31,120,same date again\n"
        f"{(TODAY + datetime.timedelta(days=3)).isoformat()},10,\n"
        "2012-05-31\n"
    ).encode()
    parsed = services.parse_recorded_values_csv(content)
    messages = dict(parsed.errors)
    assert "not a date in the form YYYY-MM-DD" in messages[3]
    assert "“abc” is not a number" in messages[4]
    assert "cannot be negative" in messages[5]
    assert "without thousands separators" in messages[6]
    assert "also on line 2" in messages[7]
    assert "in the future" in messages[8]
    assert "Expected 2 or 3 columns" in messages[9]
    assert len(parsed.rows) == 1


def test_csv_that_is_not_utf8_or_empty_is_refused_with_a_message():
    assert (
        "not UTF-8" in services.parse_recorded_values_csv("date,value\n2012-01-01,5,é\n".encode("utf-16")).errors[0][1]
    )
    assert "no rows" in services.parse_recorded_values_csv(b"date,value,note\n").errors[0][1]


def test_only_editors_import_and_only_into_recorded_targets(running, member_of):
    _campaign, members, signups, _share = running
    from django.core.exceptions import PermissionDenied, ValidationError

    rows = [(datetime.date(2012, 1, 31), Decimal(1), "")]
    with pytest.raises(PermissionDenied):
        services.import_recorded_values(signups, rows, actor=member_of("active").user)
    with pytest.raises(ValidationError):
        services.import_recorded_values(members, rows, actor=make_staff_user(StaffRole.EDITOR))


# --- contributors and nominations ----------------------------------------------------------------------


def test_members_opt_in_and_out_of_the_contributors_list(client, running, member_of):
    campaign, *_rest = running
    member = member_of("observer")
    member.user.first_name, member.user.last_name = "Lucía", "Romero"
    member.user.save()
    client.force_login(member.user)
    url = f"/en/campaigns/{campaign.slug}/contributors/"
    response = client.post(url, {"action": "join"}, follow=True)
    assert "Your name is now on the contributors" in response.content.decode()
    assert CampaignContributor.objects.filter(campaign=campaign, member=member).count() == 1
    client.post(url, {"action": "join"})  # twice: still listed once
    assert CampaignContributor.objects.count() == 1
    client.logout()
    assert "Lucía Romero" in client.get(f"/en/campaigns/{campaign.slug}/").content.decode()
    client.force_login(member.user)
    client.post(url, {"action": "leave"})
    assert not CampaignContributor.objects.exists()
    assert "Lucía Romero" not in client.get(f"/en/campaigns/{campaign.slug}/").content.decode()


def test_applicants_cannot_join_and_anonymous_visitors_are_asked_to_log_in(client, running, member_of):
    campaign, *_rest = running
    url = f"/en/campaigns/{campaign.slug}/contributors/"
    assert "/accounts/login/" in client.post(url, {"action": "join"})["Location"]
    client.force_login(member_of("").user)
    assert "List my name" not in client.get(f"/en/campaigns/{campaign.slug}/").content.decode()
    assert client.post(url, {"action": "join"}).status_code == 403
    assert client.post(url, {"action": "forged"}).status_code == 400
    assert not CampaignContributor.objects.exists()


def test_editors_nominate_contributors_for_the_spotlight_once(client, running, member_of):
    from django.apps import apps

    assert services.spotlight_available()
    featured_member = apps.get_model("cms", "FeaturedMember")
    campaign, *_rest = running
    contributor = CampaignContributor.objects.create(campaign=campaign, member=member_of("active", country="SN"))
    url = f"/en/campaigns/{campaign.slug}/contributors/{contributor.pk}/nominate/"
    client.force_login(member_of("active").user)
    assert "Nominate" not in client.get(f"/en/campaigns/{campaign.slug}/").content.decode()
    assert client.post(url).status_code == 403
    client.force_login(make_staff_user(StaffRole.EDITOR))
    assert "Nominate" in client.get(f"/en/campaigns/{campaign.slug}/").content.decode()
    first = client.post(url, follow=True).content.decode()
    assert "an editor will review and publish it" in first
    second = client.post(url, follow=True).content.decode()
    assert "already been nominated" in second and "awaits an editor" in second
    entry = featured_member.objects.get()
    assert entry.member == contributor.member
    assert not entry.live  # a draft: on the public site only once an editor publishes it
    assert not entry.country  # a private profile field is not copied to the public site
    assert campaign.title in entry.citation
    entry.latest_revision.publish()
    third = client.post(url, follow=True).content.decode()
    assert "already among the featured members" in third
    assert featured_member.objects.count() == 1


# --- admin ---------------------------------------------------------------------------------------------


@pytest.fixture
def editor_client(client, site):
    client.force_login(make_staff_user(StaffRole.EDITOR))
    return client


def test_editors_manage_campaigns_in_the_admin_and_other_staff_do_not(client, site, running):
    client.force_login(make_staff_user(StaffRole.EDITOR))
    for url in (
        "/admin/campaigns/",
        "/admin/campaign-targets/",
        "/admin/recorded-values/",
        "/admin/recorded-values-import/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/snippets/campaigns/statisticseries/").status_code == 200
    client.force_login(make_staff_user(StaffRole.MEMBERSHIP_OFFICER))
    for url in (
        "/admin/campaigns/",
        "/admin/campaign-targets/new/",
        "/admin/recorded-values/",
        "/admin/recorded-values-import/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
    assert "Campaigns" not in client.get("/admin/").content.decode()


def test_campaign_with_deadline_before_start_is_refused_with_a_message(editor_client):
    data = {
        "title": "Backwards",
        "slug": "backwards",
        "summary": "",
        "start_date": "2014-12-31",
        "deadline": "2010-01-01",
        "visibility": "public",
    }
    response = editor_client.post("/admin/campaigns/new/", data)
    assert response.status_code == 200
    assert "The deadline must be after the start date." in response.content.decode()
    response = editor_client.post("/admin/campaigns/new/", {**data, "deadline": ""})
    assert "Give the campaign a deadline" in response.content.decode()
    assert not Campaign.objects.exists()
    editor_client.post("/admin/campaigns/new/", {**data, "deadline": "2015-01-01"})
    assert Campaign.objects.filter(slug="backwards").exists()


def test_target_form_asks_for_what_its_source_needs(editor_client):
    campaign = CampaignFactory()
    data = {
        "campaign": campaign.pk,
        "title": "Members",
        "source": "computed",
        "metric": "",
        "statistic_series": "",
        "target_value": "2014",
        "baseline": "0",
        "unit": "count",
        "sort_order": "0",
    }
    response = editor_client.post("/admin/campaign-targets/new/", data)
    assert "Choose the metric this target is computed from." in response.content.decode()
    response = editor_client.post("/admin/campaign-targets/new/", {**data, "source": "statistic"})
    assert "Choose the statistic series" in response.content.decode()
    response = editor_client.post(
        "/admin/campaign-targets/new/", {**data, "metric": "members_total", "target_value": "-3"}
    )
    assert "The target cannot be negative." in response.content.decode()
    assert not Target.objects.exists()
    editor_client.post("/admin/campaign-targets/new/", {**data, "metric": "members_total"})
    assert Target.objects.get().metric == "members_total"


def test_recorded_value_form_refuses_negative_and_non_numeric_values(editor_client, running):
    _campaign, _members, signups, _share = running
    data = {"target": signups.pk, "date": "2012-01-31", "value": "-4", "note": ""}
    assert "The value cannot be negative." in editor_client.post("/admin/recorded-values/new/", data).content.decode()
    page = editor_client.post("/admin/recorded-values/new/", {**data, "value": "lots"}).content.decode()
    assert "Enter the value as a number" in page
    assert 'value="lots"' in page  # what was typed is kept
    existing_date = RecordedValue.objects.get().date.isoformat()
    page = editor_client.post(
        "/admin/recorded-values/new/", {**data, "value": "5", "date": existing_date}
    ).content.decode()
    assert "already recorded for this target on this date" in page
    assert RecordedValue.objects.count() == 1
    editor_client.post("/admin/recorded-values/new/", {**data, "value": "5"})
    assert RecordedValue.objects.count() == 2


def test_admin_csv_import_shows_bad_rows_and_imports_good_files(editor_client, running):
    _campaign, _members, signups, _share = running
    bad = SimpleUploadedFile("values.csv", b"date,value\n2012-01-31,12\n2012-02-29,-1\n", content_type="text/csv")
    page = editor_client.post("/admin/recorded-values-import/", {"target": signups.pk, "file": bad}).content.decode()
    assert "Nothing was imported" in page
    assert "cannot be negative" in page
    assert RecordedValue.objects.count() == 1
    good = SimpleUploadedFile("values.csv", b"2012-01-31,12\n2012-02-29,15,February\n", content_type="text/csv")
    response = editor_client.post("/admin/recorded-values-import/", {"target": signups.pk, "file": good}, follow=True)
    assert "2 values added and 0 replaced" in response.content.decode()
    assert RecordedValue.objects.count() == 3


def test_statistic_series_snippet_refuses_a_year_given_twice(editor_client):
    data = {
        "title": "Women among UN police (%)",
        "unit": "percent",
        "source": "",
        "points-TOTAL_FORMS": "2",
        "points-INITIAL_FORMS": "0",
        "points-MIN_NUM_FORMS": "0",
        "points-MAX_NUM_FORMS": "1000",
        "points-0-year": "2009",
        "points-0-value": "7",
        "points-0-ORDER": "1",
        "points-0-DELETE": "",
        "points-0-id": "",
        "points-1-year": "2009",
        "points-1-value": "8",
        "points-1-ORDER": "2",
        "points-1-DELETE": "",
        "points-1-id": "",
    }
    response = editor_client.post("/admin/snippets/campaigns/statisticseries/add/", data)
    assert response.status_code == 200
    assert "The year 2009 is given twice." in response.content.decode()
    assert not StatisticSeries.objects.exists()
    editor_client.post(
        "/admin/snippets/campaigns/statisticseries/add/", {**data, "points-1-year": "2017", "points-1-value": "10"}
    )
    assert StatisticSeries.objects.get().points.count() == 2


def test_seeded_demo_campaign_has_history_for_each_target(client):
    call_command("seed_demo", quiet_passwords=True)
    campaign = Campaign.objects.get(slug="race-to-2014")
    members, signups, share = campaign.targets.order_by("sort_order")
    assert members.snapshots.count() == (campaign.deadline - campaign.start_date).days + 1
    assert signups.recorded_values.count() == 52
    assert share.statistic_series.points.filter(year=2009).get().value == 7
    page = client.get("/en/campaigns/race-to-2014/").content.decode()
    assert "Target reached on" in page  # sign-ups
    assert "Ended on Dec. 31, 2014 at" in page  # members
    assert str(MemberCategory.ACTIVE.label) in page


def test_snapshot_task_is_scheduled_every_hour():
    from django.conf import settings

    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["snapshot-campaign-progress"]
    assert entry["schedule"] == 3600
    assert entry["task"] in app.tasks


def test_snapshot_task_prepares_the_cached_progress_in_every_language(
    client, site, running, member_of, django_assert_max_num_queries
):
    campaign, *_rest = running
    snapshot_campaign_progress.delay()
    client.force_login(member_of("observer").user)
    for language in ("en", "fr"):
        layout = queries_of(client, f"/{language}/campaigns/") - 1
        # Campaign, targets, contributors, staff roles: no history is read, it was prepared by the task.
        with django_assert_max_num_queries(layout + 4):
            assert client.get(f"/{language}/campaigns/{campaign.slug}/").status_code == 200


def test_breakdowns_list_the_largest_countries_then_the_others_then_unknown():
    from campaigns.progress import TOP_COUNTRIES, build_breakdowns

    countries = {
        code: 100 - number
        for number, code in enumerate(
            ["RW", "SN", "EG", "BD", "CM", "NG", "GH", "KE", "PH", "IN", "ZA", "JO", "NO", "SE"]
        )
    }
    countries[""] = 500
    (breakdown,) = build_breakdowns({"country": countries})
    labels = [row.label for row in breakdown.rows]
    assert labels[0] == "Rwanda"
    assert len(labels) == TOP_COUNTRIES + 2
    assert labels[-2] == "2 other countries"
    assert labels[-1] == "Country not given"
    assert breakdown.rows[-1].count_text == "500"
    assert sum(row.count for row in breakdown.rows) == sum(countries.values())
