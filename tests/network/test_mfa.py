import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.auth.models import Group

from network.choices import StaffRole

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
MFA_AUTHENTICATE = "/en/accounts/2fa/authenticate/"


def current_code(secret: str) -> str:
    counter = next(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counter))


@pytest.fixture
def editor(member_of):
    user = member_of("").user
    user.groups.add(Group.objects.get(name=StaffRole.EDITOR.value))
    return user


def test_staff_without_second_factor_is_sent_to_set_one_up_before_admin(client, site, editor):
    client.force_login(editor)
    response = client.get("/admin/pages/", follow=True)
    assert response.redirect_chain[0][0] == "/en/accounts/2fa/totp/activate/?next=%2Fadmin%2Fpages%2F"
    assert "Staff accounts need two-factor authentication." in response.content.decode()


def test_staff_with_totp_opens_admin(client, site, editor):
    TOTP.activate(editor, generate_totp_secret())
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Dashboard" in response.content.decode()


def test_member_without_staff_role_is_not_let_into_admin(client, site, member_of):
    client.force_login(member_of("active").user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/2fa/" not in response["Location"]


def test_wagtail_login_form_is_replaced_by_the_one_with_second_factor(client, site):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/?next=/admin/"


def test_login_asks_for_code_and_wrong_code_is_refused_on_same_page(client, site, editor, password):
    secret = generate_totp_secret()
    TOTP.activate(editor, secret)
    response = client.post(LOGIN, {"login": editor.email, "password": password})
    assert response["Location"] == MFA_AUTHENTICATE
    assert "_auth_user_id" not in client.session

    wrong = "000000" if current_code(secret) != "000000" else "111111"
    response = client.post(MFA_AUTHENTICATE, {"code": wrong})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert "_auth_user_id" not in client.session

    response = client.post(MFA_AUTHENTICATE, {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)
