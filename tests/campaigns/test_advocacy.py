"""Members log their advocacy actions; the actions feed the advocacy metrics."""

import datetime

import pytest
from django.utils import timezone

from campaigns import metrics
from campaigns.choices import AdvocacyKind
from campaigns.models import AdvocacyAction
from network.choices import StaffRole
from tests.factories.campaigns import make_staff_user

pytestmark = pytest.mark.django_db

URL = "/en/members/advocacy/"
TODAY = timezone.localdate()


def action_data(**overrides) -> dict:
    data = {
        "kind": AdvocacyKind.TALK,
        "title": "Talk at the police academy",
        "date": (TODAY - datetime.timedelta(days=2)).isoformat(),
        "country": "KE",
        "place": "Nairobi",
        "people_reached": "45",
        "description": "Forty cadets and their instructors.",
    }
    data.update(overrides)
    return data


def log_action(member, **fields) -> AdvocacyAction:
    values = {"kind": AdvocacyKind.MEETING, "title": "Meeting", "date": TODAY, "people_reached": 3}
    values.update(fields)
    return AdvocacyAction.objects.create(member=member, **values)


@pytest.mark.parametrize("category", ["active", "civilian", "honorary", "observer"])
def test_every_admitted_member_logs_an_action_that_counts_in_the_metrics(client, member_of, category):
    member = member_of(category)
    client.force_login(member.user)
    response = client.post(URL, action_data(), follow=True)
    page = response.content.decode()
    assert "Your advocacy action has been logged." in page
    assert "Talk at the police academy" in page
    action = AdvocacyAction.objects.get()
    assert action.member == member and action.people_reached == 45 and action.country == "KE"
    assert metrics.get_metric("advocacy_actions").value_on(TODAY).value == 1
    assert metrics.get_metric("advocacy_people_reached").value_on(TODAY).value == 45


def test_a_date_in_the_future_is_refused_and_what_was_typed_is_kept(client, member_of):
    client.force_login(member_of("active").user)
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    page = client.post(URL, action_data(date=tomorrow)).content.decode()
    assert "The date cannot be in the future" in page
    assert "Nothing has been saved yet." in page
    assert 'value="Talk at the police academy"' in page
    assert f'value="{tomorrow}"' in page
    assert not AdvocacyAction.objects.exists()


@pytest.mark.parametrize(
    ("people", "message"),
    [("-1", "cannot be negative"), ("many", "as a whole number"), ("1000000000", "looks too large")],
)
def test_people_reached_must_be_a_sensible_whole_number(client, member_of, people, message):
    client.force_login(member_of("civilian").user)
    page = client.post(URL, action_data(people_reached=people)).content.decode()
    assert message in page
    assert not AdvocacyAction.objects.exists()


def test_missing_fields_and_forged_kinds_are_refused(client, member_of):
    client.force_login(member_of("honorary").user)
    page = client.post(URL, action_data(title="", kind="bribery")).content.decode()
    assert "This field is required." in page
    assert "Select a valid choice." in page
    assert not AdvocacyAction.objects.exists()


def test_applicants_and_staff_without_category_cannot_log_actions(client, member_of):
    client.force_login(member_of("").user)
    response = client.get(URL)
    assert response.status_code == 403
    assert "open to admitted members" in response.content.decode()
    assert client.post(URL, action_data()).status_code == 403
    client.force_login(make_staff_user(StaffRole.EDITOR))
    assert client.post(URL, action_data()).status_code == 403
    assert not AdvocacyAction.objects.exists()


def test_anonymous_visitors_are_asked_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_members_see_only_their_own_actions_with_totals(client, member_of, django_assert_max_num_queries):
    member, other = member_of("active"), member_of("active")
    for number in range(12):
        log_action(member, title=f"Mine {number}", people_reached=10)
    log_action(other, title="Someone else's meeting")
    client.force_login(member.user)
    client.get(URL)
    with django_assert_max_num_queries(25):
        page = client.get(URL).content.decode()
    assert "Mine 11" in page
    assert "Someone else" not in page
    assert "12 actions, reaching about 120 people." in page


def test_members_edit_and_delete_their_own_actions_only(client, member_of):
    member, other = member_of("observer"), member_of("observer")
    mine, theirs = log_action(member), log_action(other)
    client.force_login(member.user)
    response = client.post(f"/en/members/advocacy/{mine.pk}/edit/", action_data(title="Updated talk"), follow=True)
    assert "Your advocacy action has been saved." in response.content.decode()
    mine.refresh_from_db()
    assert mine.title == "Updated talk"
    page = client.post(f"/en/members/advocacy/{mine.pk}/edit/", action_data(people_reached="-3")).content.decode()
    assert "cannot be negative" in page
    mine.refresh_from_db()
    assert mine.people_reached == 45
    for url in (f"/en/members/advocacy/{theirs.pk}/edit/", f"/en/members/advocacy/{theirs.pk}/delete/"):
        assert client.get(url).status_code == 404
        assert client.post(url, action_data()).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Meeting"
    assert "Delete “Updated talk”" in client.get(f"/en/members/advocacy/{mine.pk}/delete/").content.decode()
    client.post(f"/en/members/advocacy/{mine.pk}/delete/")
    assert list(AdvocacyAction.objects.all()) == [theirs]


def test_services_refuse_future_dates_and_other_members_actions(member_of):
    from django.core.exceptions import PermissionDenied, ValidationError

    from campaigns.services import delete_advocacy_action, log_advocacy_action, update_advocacy_action

    member = member_of("active")
    fields = {
        "kind": AdvocacyKind.MEDIA,
        "title": "Op-ed",
        "description": "",
        "country": "",
        "place": "",
        "date": TODAY + datetime.timedelta(days=1),
        "people_reached": 10,
    }
    with pytest.raises(ValidationError):
        log_advocacy_action(actor=member.user, **fields)
    with pytest.raises(ValidationError):
        log_advocacy_action(actor=member.user, **{**fields, "date": TODAY, "people_reached": -1})
    with pytest.raises(PermissionDenied):
        log_advocacy_action(actor=member_of("").user, **{**fields, "date": TODAY})
    action = log_advocacy_action(actor=member.user, **{**fields, "date": TODAY})
    intruder = member_of("active").user
    with pytest.raises(PermissionDenied):
        update_advocacy_action(action, actor=intruder, **{**fields, "date": TODAY})
    with pytest.raises(PermissionDenied):
        delete_advocacy_action(action, actor=intruder)
