"""Computed campaign metrics on real data, and the values of recorded and statistic targets."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from campaigns import metrics
from campaigns.choices import AdvocacyKind, MetricSource
from campaigns.models import AdvocacyAction
from network.choices import CommunityAccessState, MemberCategory, StaffRole
from network.models import CategoryChange, CommunityAccessRequest, Member
from network.services.community import approve_community_request, request_community_access, revoke_community_access
from network.services.membership import change_member_category
from tests.factories.campaigns import (
    RecordedValueFactory,
    StatisticSeriesFactory,
    TargetFactory,
    add_points,
    make_staff_user,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def value(name: str, day: datetime.date = TODAY) -> Decimal:
    return metrics.get_metric(name).value_on(day).value


def admit(member: Member, category: str, *, officer, when: datetime.datetime | None = None) -> None:
    """Admit through the membership service (which writes the category history), optionally back-dated."""
    change = change_member_category(member, category, actor=officer, reason="Evidence checked.")
    if when is not None:
        CategoryChange.objects.filter(pk=change.pk).update(created_at=when)


@pytest.fixture
def officer():
    return make_staff_user(StaffRole.MEMBERSHIP_OFFICER)


def test_every_registered_metric_answers_with_a_value_on_an_empty_platform():
    assert len(metrics.registered_metrics()) >= 10
    for entry in metrics.registered_metrics():
        result = entry.value_on(TODAY)
        assert isinstance(result, metrics.MetricValue), entry.name
        assert result.value == 0, entry.name


def test_admitting_a_member_moves_the_members_count(member_of, officer):
    applicant = member_of("", country="SN")
    member_of("")  # another applicant, never admitted
    assert value("members_total") == 0
    admit(applicant, MemberCategory.ACTIVE, officer=officer)
    assert value("members_total") == 1
    assert value("members_network") == 1
    assert value("members_active") == 1
    result = metrics.get_metric("members_total").value_on(TODAY)
    assert result.breakdown["category"] == {"active": 1}
    assert result.breakdown["country"] == {"SN": 1}


def test_members_total_counts_all_four_categories_and_network_leaves_out_observers(member_of):
    for category in MemberCategory.values:
        member_of(category)
    assert value("members_total") == 4
    assert value("members_network") == 3
    assert value("members_observer") == 1
    assert value("members_honorary") == 1
    assert value("members_civilian") == 1


def test_lapsed_members_count_as_members_but_not_as_current(member_of):
    member_of("active", membership_expires_on=TODAY - datetime.timedelta(days=1))
    member_of("civilian", membership_expires_on=TODAY + datetime.timedelta(days=30))
    member_of("observer")
    assert value("members_total") == 3
    assert value("members_current") == 2
    assert metrics.get_metric("members_total").value_on(TODAY).breakdown["state"] == {"lapsed": 1, "current": 2}


def test_past_days_follow_the_category_history(member_of, officer):
    earlier = timezone.now() - datetime.timedelta(days=100)
    member = member_of("")
    admit(member, MemberCategory.OBSERVER, officer=officer, when=earlier)
    admit(member, MemberCategory.ACTIVE, officer=officer, when=earlier + datetime.timedelta(days=50))
    before, observer_days, active_days = (TODAY - datetime.timedelta(days=days) for days in (120, 80, 10))
    assert value("members_total", before) == 0
    assert value("members_total", observer_days) == 1
    assert value("members_network", observer_days) == 0
    assert value("members_observer", observer_days) == 1
    assert value("members_network", active_days) == 1
    assert value("members_observer", active_days) == 0


def test_a_member_whose_category_was_removed_stops_counting_from_that_day(member_of, officer):
    member = member_of("")
    admit(member, MemberCategory.CIVILIAN, officer=officer, when=timezone.now() - datetime.timedelta(days=30))
    change = CategoryChange.objects.create(member=member, from_category="civilian", to_category="")
    CategoryChange.objects.filter(pk=change.pk).update(created_at=timezone.now() - datetime.timedelta(days=10))
    Member.objects.filter(pk=member.pk).update(category="")
    assert value("members_total", TODAY - datetime.timedelta(days=20)) == 1
    assert value("members_total", TODAY - datetime.timedelta(days=5)) == 0


def test_members_without_history_count_from_the_day_their_profile_was_created(member_of):
    member = member_of("honorary")
    Member.objects.filter(pk=member.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))
    assert value("members_total", TODAY - datetime.timedelta(days=50)) == 0
    assert value("members_total", TODAY - datetime.timedelta(days=30)) == 1


def test_community_members_are_approved_requests_not_ended_nor_past_review(member_of):
    moderator = make_staff_user(StaffRole.MODERATOR)
    granted, reviewed, revoked, pending = (member_of("active") for _n in range(4))
    for member in (granted, reviewed, revoked, pending):
        request_community_access(member, actor=member.user, motivation="To share practice.")
    requests = {request.member_id: request for request in CommunityAccessRequest.objects.all()}
    approve_community_request(requests[granted.pk], actor=moderator)
    approve_community_request(requests[reviewed.pk], actor=moderator, review_on=TODAY + datetime.timedelta(days=10))
    approve_community_request(requests[revoked.pk], actor=moderator)
    assert value("community_members") == 3
    revoke_community_access(requests[revoked.pk], actor=moderator, reason="Left the police service.")
    assert value("community_members") == 2
    assert value("community_members", TODAY + datetime.timedelta(days=10)) == 1  # review date reached
    assert value("community_members", TODAY - datetime.timedelta(days=1)) == 0  # approved today
    lapsed = CommunityAccessRequest.objects.get(pk=requests[reviewed.pk].pk)
    assert lapsed.state == CommunityAccessState.APPROVED
    breakdown = metrics.get_metric("community_members").value_on(TODAY).breakdown
    assert breakdown["category"] == {"active": 2}


def test_advocacy_actions_and_people_reached_count_actions_up_to_the_day(member_of):
    member = member_of("civilian")
    for days_ago, people, kind, country in [(10, 40, AdvocacyKind.TALK, "KE"), (3, 500, AdvocacyKind.MEDIA, "")]:
        AdvocacyAction.objects.create(
            member=member,
            kind=kind,
            title="Action",
            country=country,
            date=TODAY - datetime.timedelta(days=days_ago),
            people_reached=people,
        )
    assert value("advocacy_actions") == 2
    assert value("advocacy_people_reached") == 540
    assert value("advocacy_actions", TODAY - datetime.timedelta(days=5)) == 1
    assert value("advocacy_people_reached", TODAY - datetime.timedelta(days=5)) == 40
    breakdown = metrics.get_metric("advocacy_people_reached").value_on(TODAY).breakdown
    assert breakdown == {"kind": {"talk": 40, "media": 500}, "country": {"KE": 40, "": 500}}


def test_recorded_target_takes_the_latest_value_on_or_before_the_day():
    first = RecordedValueFactory(date=datetime.date(2012, 1, 31), value=Decimal(100))
    target = first.target
    RecordedValueFactory(target=target, date=datetime.date(2012, 2, 29), value=Decimal(180))
    assert metrics.value_on(target, datetime.date(2012, 1, 30)) is None
    assert metrics.value_on(target, datetime.date(2012, 1, 31)).value == 100
    assert metrics.value_on(target, datetime.date(2012, 2, 28)).value == 100
    assert metrics.value_on(target, datetime.date(2013, 1, 1)).value == 180
    assert metrics.current_value(target).value == 180
    values = metrics.values_between(
        target, [datetime.date(2012, 1, 1), datetime.date(2012, 2, 1), datetime.date(2012, 3, 1)]
    )
    assert {day: item.value for day, item in values.items()} == {
        datetime.date(2012, 2, 1): 100,
        datetime.date(2012, 3, 1): 180,
    }


def test_statistic_target_takes_the_latest_year_not_after_the_day():
    series = StatisticSeriesFactory()
    add_points(series, {2009: 7.0, 2012: 8.1})
    target = TargetFactory(
        source=MetricSource.STATISTIC, metric="", statistic_series=series, target_value=20, baseline=7
    )
    assert metrics.value_on(target, datetime.date(2008, 12, 31)) is None
    assert metrics.value_on(target, datetime.date(2011, 6, 1)).value == Decimal("7.0")
    assert metrics.value_on(target, datetime.date(2012, 1, 1)).value == Decimal("8.1")


def test_computed_target_uses_its_registered_metric(member_of):
    member_of("observer")
    target = TargetFactory(metric="members_total")
    assert metrics.current_value(target).value == 1


def test_registering_a_name_twice_or_asking_an_unknown_one_fails():
    with pytest.raises(ValueError, match="already registered"):
        metrics.metric("members_total", label="Again")(lambda day: Decimal(0))
    with pytest.raises(metrics.UnknownMetric):
        metrics.get_metric("no_such_metric")


def test_a_new_metric_is_one_registered_function(monkeypatch):
    monkeypatch.setattr(metrics, "_registry", dict(metrics._registry))

    @metric_under_test("mentoring_pairs", label="Mentoring pairs")
    def mentoring_pairs(day):
        return Decimal(7)

    assert metrics.get_metric("mentoring_pairs").value_on(TODAY) == metrics.MetricValue(Decimal(7))
    assert ("mentoring_pairs", "Mentoring pairs") in metrics.metric_choices()


def metric_under_test(name, **kwargs):
    return metrics.metric(name, **kwargs)
