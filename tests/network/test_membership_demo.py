"""The membership demo data: applications for the officers and a membership about to expire, idempotent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from network.choices import ApplicationState, MemberCategory
from network.management.demo_membership import seed_membership_demo
from network.models import Member, MembershipApplication

pytestmark = pytest.mark.django_db


def test_demo_applications_and_expiring_member_are_created_once():
    for _ in range(2):
        accounts = seed_membership_demo("demo-password-for-tests")
    states = sorted(MembershipApplication.objects.values_list("category", "state"))
    assert states == [
        (MemberCategory.ACTIVE, ApplicationState.SUBMITTED),
        (MemberCategory.CIVILIAN, ApplicationState.MORE_INFO),
        (MemberCategory.OBSERVER, ApplicationState.SUBMITTED),
    ]
    active = MembershipApplication.objects.get(category=MemberCategory.ACTIVE)
    assert active.police_service and active.rank and active.mission is not None
    assert MembershipApplication.objects.get(state=ApplicationState.MORE_INFO).info_request
    expiring = Member.objects.get(user__email="rita.mensah@example.org")
    assert expiring.category == MemberCategory.ACTIVE
    assert expiring.membership_expires_on == timezone.localdate() + timedelta(days=20)
    lapsed = Member.objects.get(user__email="joy.okafor@example.org")
    assert lapsed.membership_expires_on == timezone.localdate() - timedelta(days=10)
    assert len(accounts) == 5
