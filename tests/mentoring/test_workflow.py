"""Enrolment, shortlist, requests and the mentorship's state machine, through the services."""

import datetime

import pytest
from django.utils import timezone

from mentoring import services
from mentoring.choices import MentorshipState, Role
from mentoring.models import Enrolment, Mentorship
from mentoring.services import MentoringError
from network.choices import AuditAction, MemberCategory
from network.models import AuditEntry, Notification
from tests.factories.forums import network_member
from tests.factories.mentoring import EVENINGS, active, enrol, make_programme, mentee, mentor, requested

pytestmark = pytest.mark.django_db


def test_enrolment_stores_weekly_hours_in_utc():
    programme = make_programme()
    enrolment = enrol(network_member(), programme, Role.MENTEE, hours=[(0, 9)], time_zone="Africa/Nairobi")
    assert enrolment.availability_mask == 1 << 6  # Monday 09:00 in Nairobi is 06:00 UTC
    assert enrolment.weekly_ranges == [[0, 9, 10]]
    assert AuditEntry.objects.filter(action=AuditAction.MENTORING_ENROLLED, object_id=str(enrolment.pk)).exists()


@pytest.mark.parametrize("capacity", [0, 6, 50])
def test_mentor_capacity_outside_one_to_five_is_refused(capacity):
    programme = make_programme()
    with pytest.raises(MentoringError, match="between 1 and 5"):
        mentor(programme, capacity=capacity)
    assert not Enrolment.objects.exists()


def test_enrolment_without_hours_is_refused():
    with pytest.raises(MentoringError, match="at least one hour"):
        mentee(make_programme(), hours=[])


def test_observer_cannot_enrol():
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        enrol(network_member(MemberCategory.OBSERVER), make_programme(), Role.MENTEE)


def test_shortlist_lists_fitting_mentors_best_first_and_leaves_out_conflicts():
    programme = make_programme()
    pupil = mentee(programme, reporting_line="Sector East", topics=("leadership", "training"))
    best = mentor(programme, topics=("leadership", "training"))
    good = mentor(programme, topics=("leadership",))
    mentor(programme, reporting_line="sector east")  # same reporting line: never suggested
    mentor(programme, languages=(("en", 3),))  # no shared language
    entries = services.refresh_shortlist(pupil)
    assert [entry["mentor"] for entry in entries] == [best.pk, good.pk]
    assert {part["component"] for part in entries[0]["parts"]} >= {"language", "topic", "availability"}


def test_mentee_cannot_request_herself_or_a_conflicting_mentor():
    programme = make_programme()
    pupil = mentee(programme, reporting_line="Unit 7")
    herself = enrol(pupil.member, programme, Role.MENTOR)
    with pytest.raises(MentoringError, match="your own mentor"):
        services.request_mentor(actor=pupil.member.user, mentee=pupil, mentor=herself)
    conflicted = mentor(programme, reporting_line="Unit 7")
    with pytest.raises(MentoringError, match="conflict of interest"):
        services.request_mentor(actor=pupil.member.user, mentee=pupil, mentor=conflicted)
    assert not Mentorship.objects.exists()


def test_request_notifies_the_mentor_with_links_and_a_deadline(mailoutbox):
    mentorship = requested()
    assert mentorship.state == MentorshipState.REQUESTED
    assert mentorship.answer_by - mentorship.requested_at == datetime.timedelta(days=5)
    notification = Notification.objects.get(recipient=mentorship.mentor.member.user)
    assert "/mentoring/link/" in notification.text
    assert "you both work in fr" in notification.text
    assert AuditEntry.objects.filter(action=AuditAction.MENTORING_REQUESTED).count() == 1


def test_second_open_request_is_refused():
    mentorship = requested()
    other = mentor(mentorship.programme)
    with pytest.raises(MentoringError, match="already an open request"):
        services.request_mentor(actor=mentorship.mentee.member.user, mentee=mentorship.mentee, mentor=other)


def test_accept_grants_notes_to_the_pair_and_goals_make_it_active():
    from mentoring import permissions

    mentorship = requested()
    services.accept_request(mentorship, actor=mentorship.mentor.member.user)
    mentorship.refresh_from_db()
    assert mentorship.state == MentorshipState.ACCEPTED
    for user in (mentorship.mentee.member.user, mentorship.mentor.member.user):
        assert permissions.can_read_pair_notes(user, mentorship)
    services.set_goals(mentorship, actor=mentorship.mentee.member.user, goals="Lead a patrol team.")
    mentorship.refresh_from_db()
    assert mentorship.state == MentorshipState.ACTIVE
    assert mentorship.started_at is not None


def test_only_the_mentor_accepts():
    from django.core.exceptions import PermissionDenied

    mentorship = requested()
    with pytest.raises(PermissionDenied):
        services.accept_request(mentorship, actor=mentorship.mentee.member.user)
    mentorship.refresh_from_db()
    assert mentorship.state == MentorshipState.REQUESTED


def test_accepting_an_expired_request_is_refused():
    mentorship = requested()
    Mentorship.objects.filter(pk=mentorship.pk).update(answer_by=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(MentoringError, match="expired"):
        services.accept_request(mentorship, actor=mentorship.mentor.member.user)
    mentorship.refresh_from_db()
    assert mentorship.state == MentorshipState.REQUESTED


def test_a_full_mentor_cannot_accept_more():
    programme = make_programme()
    guide = mentor(programme, capacity=1)
    first, second = mentee(programme), mentee(programme)
    one = services.request_mentor(actor=first.member.user, mentee=first, mentor=guide)
    two = services.request_mentor(actor=second.member.user, mentee=second, mentor=guide)
    services.accept_request(one, actor=guide.member.user)
    with pytest.raises(MentoringError, match="no place left"):
        services.accept_request(two, actor=guide.member.user)
    assert Mentorship.objects.get(pk=two.pk).state == MentorshipState.REQUESTED


def test_decline_offers_the_mentee_the_next_suggestion():
    programme = make_programme()
    pupil = mentee(programme)
    first, second = mentor(programme, years_of_service=20), mentor(programme)
    mentorship = services.request_mentor(actor=pupil.member.user, mentee=pupil, mentor=first)
    services.decline_request(mentorship, actor=first.member.user)
    pupil.refresh_from_db()
    assert [entry["mentor"] for entry in pupil.shortlist] == [second.pk]
    note = Notification.objects.get(recipient=pupil.member.user)
    assert second.member.display_name in note.text


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (MentorshipState.DECLINED, "accept"),
        (MentorshipState.EXPIRED, "decline"),
        (MentorshipState.CLOSED, "close"),
        (MentorshipState.REQUESTED, "close"),
        (MentorshipState.DECLINED, "goals"),
    ],
)
def test_invalid_transitions_are_refused_and_change_nothing(state, action):
    mentorship = requested()
    Mentorship.objects.filter(pk=mentorship.pk).update(state=state)
    mentorship.refresh_from_db()
    mentor_user, mentee_user = mentorship.mentor.member.user, mentorship.mentee.member.user
    calls = {
        "accept": lambda: services.accept_request(mentorship, actor=mentor_user),
        "decline": lambda: services.decline_request(mentorship, actor=mentor_user),
        "close": lambda: services.close_mentorship(mentorship, actor=mentee_user, reason="completed"),
        "goals": lambda: services.set_goals(mentorship, actor=mentee_user, goals="x"),
    }
    audit_before = AuditEntry.objects.count()
    with pytest.raises(MentoringError):
        calls[action]()
    assert Mentorship.objects.get(pk=mentorship.pk).state == state
    assert AuditEntry.objects.count() == audit_before


def test_meeting_close_feedback_and_rematch():
    mentorship = active()
    mentee_user, mentor_user = mentorship.mentee.member.user, mentorship.mentor.member.user
    services.log_meeting(mentorship, actor=mentor_user, starts_at=timezone.now(), notes="Talked about patrols.")
    services.close_mentorship(mentorship, actor=mentee_user, reason="completed")
    with pytest.raises(MentoringError, match="rating"):
        services.give_feedback(mentorship, actor=mentee_user, rating=None)
    services.give_feedback(mentorship, actor=mentee_user, rating=5, text="Very helpful.")
    with pytest.raises(MentoringError, match="already"):
        services.give_feedback(mentorship, actor=mentee_user, rating=4)
    services.request_rematch(mentorship, actor=mentee_user)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        AuditAction.MENTORING_ACCEPTED,
        AuditAction.MENTORING_GOALS_CHANGED,
        AuditAction.MENTORING_MEETING_LOGGED,
        AuditAction.MENTORING_CLOSED,
        AuditAction.MENTORING_FEEDBACK_GIVEN,
        AuditAction.MENTORING_REMATCH_REQUESTED,
    } <= actions
    # The audit trail records that a meeting happened, never what was said.
    assert not AuditEntry.objects.filter(details__icontains="patrols").exists()


def test_expiry_reminder_and_nudge_services_act_once():
    mentorship = requested()
    assert services.remind_of_request(mentorship) is True
    assert services.remind_of_request(mentorship) is False
    later = mentorship.answer_by + datetime.timedelta(minutes=1)
    assert services.expire_request(mentorship, now=later) is True
    assert services.expire_request(mentorship, now=later) is False
    assert Mentorship.objects.get(pk=mentorship.pk).state == MentorshipState.EXPIRED

    pair = active()
    soon = timezone.now() + datetime.timedelta(days=10)
    assert services.nudge_pair(pair, now=soon) is False
    month = timezone.now() + datetime.timedelta(days=31)
    assert services.nudge_pair(pair, now=month) is True
    assert services.nudge_pair(pair, now=month + datetime.timedelta(days=1)) is False


def test_evenings_in_different_time_zones_overlap_in_utc():
    programme = make_programme(min_overlap_hours=2)
    pupil = mentee(programme, time_zone="Europe/Paris")
    # 18:00–21:00 in Bangui (UTC+1) is the same as in Paris in winter, one hour apart in summer: they overlap.
    guide = mentor(programme, time_zone="Africa/Bangui")
    far = mentor(programme, time_zone="Asia/Tokyo")  # Tokyo evenings are Paris mornings
    ids = [entry["mentor"] for entry in services.refresh_shortlist(pupil)]
    assert guide.pk in ids and far.pk not in ids
    assert EVENINGS
