import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from network.models import Member, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = "/en/accounts/signup/"
LOGIN = "/en/accounts/login/"


def signup(client, email="new.member@example.org", password="correct horse battery staple", host="testserver", **extra):
    data = {"first_name": "Amina", "last_name": "Diallo", "email": email, "password1": password, "password2": password}
    return client.post(SIGNUP, {**data, "agree_terms": "on", **extra}, HTTP_HOST=host)


def test_signup_sends_confirmation_email_and_creates_private_profile(client, site, mailoutbox):
    response = signup(client)
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    user = User.objects.get(email="new.member@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    assert Member.objects.get(user=user).visibility == {}
    assert len(mailoutbox) == 1
    assert re.search(r"/en/accounts/confirm-email/[\w:-]+/", mailoutbox[0].body)


def test_signup_asks_for_the_name_and_the_confirmation_email_greets_by_it(client, site, mailoutbox):
    missing = signup(client, first_name="", last_name="")
    assert missing.status_code == 200
    assert not User.objects.exists()
    assert 'value="new.member@example.org"' in missing.content.decode()

    signup(client, first_name="Amina", last_name="Diallo")
    user = User.objects.get(email="new.member@example.org")
    assert (user.first_name, user.last_name) == ("Amina", "Diallo")
    # Later emails greet the member by name ("Dear Amina Diallo"), not by address.
    assert str(user) == "Amina Diallo"


def test_unverified_account_cannot_log_in_until_email_confirmed(client, site, mailoutbox):
    signup(client)
    client.logout()
    response = client.post(LOGIN, {"login": "new.member@example.org", "password": "correct horse battery staple"})
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session

    # Within the resend cooldown the login sends no second message: the first link still works.
    assert len(mailoutbox) == 1
    key = re.search(r"/en/accounts/confirm-email/([\w:-]+)/", mailoutbox[0].body).group(1)
    client.post(f"/en/accounts/confirm-email/{key}/")
    assert client.get(reverse("network:my_profile")).status_code == 200


def test_signup_with_existing_email_answers_as_for_a_new_address_and_emails_the_owner(
    client, site, member_of, mailoutbox
):
    owner = member_of("active", user__email="grace@example.org")
    new = signup(client, email="someone.new@example.org")
    client.logout()
    mailoutbox.clear()

    existing = signup(client, email="Grace@Example.org")

    # The same redirect and the same page: nothing tells the visitor that the address has an account.
    assert existing.status_code == new.status_code == 302
    assert existing["Location"] == new["Location"]
    assert "already exists" not in client.get(existing["Location"]).content.decode()
    assert User.objects.filter(email__iexact="grace@example.org").count() == 1
    owner.user.refresh_from_db()
    assert owner.user.check_password(UserFactory.PASSWORD)
    # The owner learns of the attempt, with a way back into her account.
    assert [message.to for message in mailoutbox] == [["grace@example.org"]]
    assert "/en/accounts/password/reset/" in mailoutbox[0].body


def test_invalid_email_gets_clear_message(client, site):
    response = signup(client, email="not-an-address")
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert 'value="not-an-address"' in page
    assert not User.objects.exists()


def test_weak_password_gets_clear_message_and_keeps_email(client, site):
    response = signup(client, email="weak@example.org", password="12345678")
    page = response.content.decode()
    assert "This password is too short." in page or "This password is too common." in page
    assert 'value="weak@example.org"' in page
    assert 'value="12345678"' not in page
    assert not User.objects.exists()


def test_wrong_password_gets_message_and_keeps_email(client, site, member_of):
    member = member_of("")
    response = client.post(LOGIN, {"login": member.user.email, "password": "wrong password here"})
    page = response.content.decode()
    assert "The email address and/or password you specified are not correct." in page
    assert f'value="{member.user.email}"' in page


def test_too_many_failed_logins_are_refused_with_clear_message(client, site, member_of, password):
    member = member_of("")
    for _ in range(5):
        client.post(LOGIN, {"login": member.user.email, "password": "wrong password here"})
    # Even the right password is refused while the limit holds: guessing stops being useful.
    response = client.post(LOGIN, {"login": member.user.email, "password": password})
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signup_flood_from_one_address_gets_429_page(client, site):
    for number in range(20):
        signup(client, email=f"bot{number}@example.org")
        client.logout()
    response = signup(client, email="bot-extra@example.org")
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_logout_requires_post_and_ends_session(client, site, member_of):
    client.force_login(member_of("").user)
    assert client.get("/en/accounts/logout/").status_code == 200  # a confirmation page, not a logout
    assert "_auth_user_id" in client.session
    client.post("/en/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_password_change_logs_out_other_sessions(client, site, member_of, password):
    member = member_of("")
    client.force_login(member.user)
    response = client.post(
        "/en/accounts/password/change/",
        {"oldpassword": password, "password1": "a brand new passphrase", "password2": "a brand new passphrase"},
    )
    assert response.status_code == 302
    member.user.refresh_from_db()
    assert member.user.check_password("a brand new passphrase")
    assert "_auth_user_id" not in client.session


def test_confirmation_email_uses_the_site_name_and_the_address_it_is_served_on(client, site, mailoutbox, settings):
    settings.SITE_URL = ""
    signup(client, host="127.0.0.1:8100")
    message = mailoutbox[0]
    assert message.subject.startswith("[Peacekeepers Network] ")
    assert "Hello from Peacekeepers Network!" in message.body
    assert "127.0.0.1:8100]" not in message.subject and "Hello from 127.0.0.1" not in message.body
    assert re.search(r"http://127\.0\.0\.1:8100/en/accounts/confirm-email/[\w:-]+/", message.body)


def test_confirmation_email_links_to_site_url_when_set(client, site, mailoutbox, settings):
    settings.SITE_URL = "https://network.example.org"
    signup(client)
    body = mailoutbox[0].body
    assert re.search(r"https://network\.example\.org/en/accounts/confirm-email/[\w:-]+/", body)
    assert "http://testserver" not in body
