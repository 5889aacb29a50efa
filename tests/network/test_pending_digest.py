"""The daily digest tells the deciding staff how much waits for them, and nothing about who is waiting."""

import pytest

from network.choices import CommunityAccessState, MemberCategory, StaffRole
from network.models import CommunityAccessRequest
from network.tasks import send_pending_work_digest
from tests.factories.staff import ApplicationFactory, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return {
        "officer": make_staff(StaffRole.MEMBERSHIP_OFFICER),
        "moderator": make_staff(StaffRole.MODERATOR),
        "administrator": make_staff(StaffRole.ADMINISTRATOR),
        "editor": make_staff(StaffRole.EDITOR),
    }


@pytest.fixture
def waiting(member_of):
    applications = [
        ApplicationFactory(user__first_name="Noor", user__email="noor.applicant@example.org"),
        ApplicationFactory(user__first_name="Hawa", user__email="hawa.applicant@example.org"),
    ]
    requester = member_of(MemberCategory.ACTIVE, user__email="asks.to.join@example.org")
    CommunityAccessRequest.objects.create(member=requester, motivation="Secret motivation text.")
    CommunityAccessRequest.objects.create(
        member=member_of(MemberCategory.CIVILIAN), motivation="Done.", state=CommunityAccessState.APPROVED
    )
    return applications


def test_each_deciding_role_gets_the_counts_that_wait_for_it(site, staff, waiting, mailoutbox):
    assert send_pending_work_digest.delay().get() == 3
    by_address = {message.to[0]: message for message in mailoutbox}
    assert set(by_address) == {staff[role].email for role in ("officer", "moderator", "administrator")}

    officer = by_address[staff["officer"].email].body
    assert "Membership applications waiting for a decision: 2" in officer
    assert "http://127.0.0.1:8000/admin/membership/applications/?state=submitted" in officer
    assert "Community of Practice" not in officer

    moderator = by_address[staff["moderator"].email].body
    assert "Community of Practice access requests waiting for a decision: 1" in moderator
    assert "http://127.0.0.1:8000/admin/community-access/" in moderator
    assert "Membership applications" not in moderator

    both = by_address[staff["administrator"].email].body
    assert "applications waiting for a decision: 2" in both and "requests waiting for a decision: 1" in both


def test_the_digest_names_nobody_who_waits(site, staff, waiting, mailoutbox):
    send_pending_work_digest.delay()
    for message in mailoutbox:
        text = message.subject + message.body
        for secret in ("Noor", "Hawa", "applicant@example.org", "asks.to.join@example.org", "Secret motivation"):
            assert secret not in text
        assert len(message.to) == 1 and not message.cc and not message.bcc


def test_nothing_is_sent_when_nothing_waits_or_twice_a_day(site, staff, mailoutbox):
    assert send_pending_work_digest.delay().get() == 0
    assert mailoutbox == []
    ApplicationFactory()
    # The day's digest has gone (with nothing in it): the next one is tomorrow's.
    assert send_pending_work_digest.delay().get() == 0


def test_a_second_run_on_the_same_day_sends_nothing_more(site, staff, waiting, mailoutbox):
    assert send_pending_work_digest.delay().get() == 3
    assert send_pending_work_digest.delay().get() == 0
    assert len(mailoutbox) == 3
