"""Privacy and duty of care: hidden deployment, data export, account deletion, consents."""

import json

import pytest
from django.conf import settings
from django.urls import reverse

from network import permissions
from network.choices import AuditAction, ConsentKind, MemberCategory, Visibility
from network.models import AuditEntry, ConsentRecord, Member, MemberMessage, Mission, MissionService, User
from network.services import community, messaging, privacy
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

SHARED_WITH_NETWORK = {field: Visibility.NETWORK for field in Member.VISIBLE_FIELDS}
SIGNUP = "/en/accounts/signup/"


def network_member(**kwargs) -> Member:
    kwargs.setdefault("visibility", SHARED_WITH_NETWORK)
    kwargs.setdefault("category", MemberCategory.ACTIVE)
    return MemberFactory(**kwargs)


@pytest.fixture
def amina():
    member = network_member(
        user__first_name="Amina", user__last_name="Diallo", user__email="amina@example.org", rank="Commissaire"
    )
    MissionService.objects.create(member=member, mission=Mission.objects.get(acronym="MINUSCA"), start_year=2021)
    return member


@pytest.fixture
def grace():
    return network_member(user__first_name="Grace", user__last_name="Uwase", user__email="grace@example.org")


# --- hiding the current deployment -----------------------------------------------------------------


def test_member_hides_current_deployment_from_the_profile_form(client, site, amina):
    client.force_login(amina.user)
    page = client.get(reverse("network:edit_profile")).content.decode()
    assert 'name="hide_current_deployment"' in page
    data = {
        "first_name": "Amina",
        "last_name": "Diallo",
        "rank": "Commissaire",
        "hide_current_deployment": "on",
        "missions-TOTAL_FORMS": "1",
        "missions-INITIAL_FORMS": "0",
        "missions-MIN_NUM_FORMS": "0",
        "missions-MAX_NUM_FORMS": "30",
        "missions-0-mission": str(Mission.objects.get(acronym="MINUSCA").pk),
        "missions-0-start_year": "2021",
        "missions-0-end_year": "",
        **{f"visibility_{field}": Visibility.NETWORK for field in Member.VISIBLE_FIELDS},
    }
    assert client.post(reverse("network:edit_profile"), data).status_code == 302
    amina.refresh_from_db()
    assert amina.hide_current_deployment

    client.force_login(network_member().user)
    profile = client.get(reverse("network:member_profile", args=[amina.public_id])).content.decode()
    assert "Commissaire" in profile
    assert "MINUSCA" not in profile


# --- export -----------------------------------------------------------------------------------------


def test_export_contains_own_data_and_not_other_peoples(client, site, amina, grace, member_of):
    stranger = network_member(user__first_name="Zenobia", user__email="zenobia@example.org", rank="Colonel")
    messaging.send_member_message(amina, grace, body="Hello Grace, about recruitment.")
    messaging.send_member_message(grace, amina, body="Hello Amina, gladly.")
    messaging.send_member_message(stranger, grace, body="A message between two other people.")
    privacy.give_feature_consent(amina.user)
    community.request_community_access(amina, actor=amina.user, motivation="I would like to share my experience.")

    client.force_login(amina.user)
    assert "Download my data (JSON)" in client.get(reverse("network:export_data")).content.decode()
    response = client.post(reverse("network:export_data"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment;" in response["Content-Disposition"]
    text = response.content.decode()
    data = json.loads(text)

    assert data["account"]["email"] == "amina@example.org"
    assert data["member"]["rank"] == "Commissaire"
    assert data["missions"] == [{"mission": "MINUSCA", "start_year": 2021, "end_year": None}]
    assert [m["body"] for m in data["messages_sent"]] == ["Hello Grace, about recruitment."]
    assert [m["body"] for m in data["messages_received"]] == ["Hello Amina, gladly."]
    assert data["messages_received"][0]["from"] == "Grace Uwase"
    assert [c["kind"] for c in data["consents"]] == [ConsentKind.FEATURE]
    assert data["community_access_requests"][0]["motivation"] == "I would like to share my experience."
    for other in ("grace@example.org", "zenobia@example.org", "Zenobia", "Colonel", "two other people"):
        assert other not in text
    assert AuditEntry.objects.filter(action=AuditAction.DATA_EXPORTED, subject_user=amina.user).count() == 1


def test_export_requires_login(client, site):
    response = client.post(reverse("network:export_data"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


# --- deletion ---------------------------------------------------------------------------------------


def test_wrong_password_keeps_the_account(client, site, amina):
    client.force_login(amina.user)
    page = client.post(reverse("network:delete_account"), {"password": "wrong", "confirm": "on"}).content.decode()
    assert "This is not your current password." in page
    assert User.objects.filter(pk=amina.user.pk).exists()


def test_deletion_needs_the_confirmation_box(client, site, amina, password):
    client.force_login(amina.user)
    client.post(reverse("network:delete_account"), {"password": password})
    assert User.objects.filter(pk=amina.user.pk).exists()


def test_deletion_erases_personal_data_and_keeps_messages_as_former_member(client, site, amina, grace, password):
    sent = messaging.send_member_message(amina, grace, body="Hello Grace, about recruitment.")
    messaging.reply_to_message(sent, sender=grace, body="Hello Amina, gladly.")
    privacy.record_terms_consent(amina.user)
    community.request_community_access(amina, actor=amina.user, motivation="I would like to share my experience.")
    user_id, member_id = amina.user.pk, amina.pk

    client.force_login(amina.user)
    response = client.post(reverse("network:delete_account"), {"password": password, "confirm": "on"}, follow=True)
    assert "Your account and your personal data have been erased." in response.content.decode()

    assert not User.objects.filter(pk=user_id).exists()
    assert not Member.objects.filter(pk=member_id).exists()
    assert not ConsentRecord.objects.filter(user_id=user_id).exists()
    assert not MissionService.objects.filter(member_id=member_id).exists()
    sent.refresh_from_db()
    assert sent.sender is None and sent.body == "Hello Grace, about recruitment."
    assert MemberMessage.objects.get(recipient=None).body == "Hello Amina, gladly."

    deletion = AuditEntry.objects.get(action=AuditAction.ACCOUNT_DELETED)
    assert deletion.actor_label == deletion.subject_label == f"former member #{user_id}"
    assert "amina" not in str(deletion.details).lower()
    # The session is gone.
    assert client.get(reverse("network:my_profile")).status_code == 302

    client.force_login(grace.user)
    inbox = client.get(reverse("network:inbox")).content.decode()
    assert "Former member" in inbox and "Amina" not in inbox
    thread = client.get(reverse("network:message_detail", args=[sent.pk])).content.decode()
    assert "Hello Grace, about recruitment." in thread
    assert "Former member" in thread
    assert "replies are no longer possible" in thread


def test_staff_cannot_delete_their_own_account(client, site, password):
    from django.contrib.auth.models import Group

    from network.choices import StaffRole

    staff = network_member()
    staff.user.groups.add(Group.objects.get(name=StaffRole.MODERATOR.value))
    client.force_login(staff.user)
    page = client.post(reverse("network:delete_account"), {"password": password, "confirm": "on"}).content.decode()
    assert "ask an administrator" in page
    assert User.objects.filter(pk=staff.user.pk).exists()


# --- consents ---------------------------------------------------------------------------------------


def test_sign_up_records_consent_to_the_terms_with_version(client, site):
    response = client.post(
        SIGNUP,
        {
            "first_name": "Amina",
            "last_name": "Diallo",
            "email": "new.member@example.org",
            "password1": "correct horse battery staple",
            "password2": "correct horse battery staple",
            "agree_terms": "on",
        },
    )
    assert response.status_code == 302
    consent = ConsentRecord.objects.get(user__email="new.member@example.org")
    assert (consent.kind, consent.version, consent.withdrawn_at) == (ConsentKind.TERMS, settings.TERMS_VERSION, None)
    assert consent.given_at is not None
    assert AuditEntry.objects.filter(action=AuditAction.CONSENT_GIVEN, subject_user=consent.user).exists()


def test_sign_up_without_agreeing_is_refused_and_email_kept(client, site):
    response = client.post(
        SIGNUP,
        {
            "first_name": "Amina",
            "last_name": "Diallo",
            "email": "new.member@example.org",
            "password1": "correct horse battery staple",
            "password2": "correct horse battery staple",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please tick the box to agree to the terms of membership" in page
    assert 'value="new.member@example.org"' in page
    assert f"(version {settings.TERMS_VERSION})" in page
    assert not User.objects.filter(email="new.member@example.org").exists()


def test_member_gives_and_withdraws_consent_to_be_featured(client, site, amina):
    assert not permissions.has_feature_consent(amina)
    client.force_login(amina.user)
    page = client.post(reverse("network:privacy"), {"consent": "yes"}, follow=True).content.decode()
    assert "You have agreed to be featured." in page
    assert permissions.has_feature_consent(amina)
    assert list(permissions.filter_members_with_feature_consent(Member.objects.all())) == [amina]
    client.post(reverse("network:privacy"), {"consent": "yes"})
    assert ConsentRecord.objects.filter(kind=ConsentKind.FEATURE).count() == 1

    page = client.post(reverse("network:privacy"), {"consent": "no"}, follow=True).content.decode()
    assert "You have not agreed to be featured." in page
    assert not permissions.has_feature_consent(amina)
    consent = ConsentRecord.objects.get(kind=ConsentKind.FEATURE)
    assert consent.withdrawn_at is not None  # kept, dated, as a record
    assert list(AuditEntry.objects.filter(subject_user=amina.user).order_by("pk").values_list("action", flat=True)) == [
        AuditAction.CONSENT_GIVEN,
        AuditAction.CONSENT_WITHDRAWN,
    ]


def test_privacy_pages_require_login(client, site):
    for name in ("privacy", "export_data", "delete_account"):
        response = client.get(reverse(f"network:{name}"))
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
