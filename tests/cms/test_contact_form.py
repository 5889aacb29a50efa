import pytest
from wagtail.contrib.forms.models import FormSubmission

from cms.models import HONEYPOT_FIELD, ContactFormField, ContactPage
from network.page_cache import CACHE_HEADER
from tests.factories.cms import contact_page

pytestmark = pytest.mark.django_db

MESSAGE = {
    "your_name": "Grace Uwase",
    "your_email_address": "grace@example.org",
    "your_message": "How can our academy host a course?",
}


@pytest.fixture
def contact(site):
    return contact_page(site["en"], thank_you_text="<p>Thank you, we will answer soon.</p>")


def test_contact_form_is_never_served_from_the_anonymous_cache(client, contact):
    client.get(contact.url)
    response = client.get(contact.url)
    assert CACHE_HEADER not in response
    assert ContactPage.cache_anonymous is False


def test_hidden_trap_field_is_in_the_form_but_out_of_sight(client, contact):
    html = client.get(contact.url).content.decode()
    assert f'name="{HONEYPOT_FIELD}"' in html
    assert 'class="hp-field" aria-hidden="true"' in html and 'tabindex="-1"' in html


def test_valid_message_is_stored_and_emailed(client, contact, mailoutbox):
    response = client.post(contact.url, MESSAGE)
    assert response.status_code == 200
    assert "Thank you, we will answer soon." in response.content.decode()
    submission = FormSubmission.objects.get(page=contact)
    assert submission.form_data["your_message"] == MESSAGE["your_message"]
    assert HONEYPOT_FIELD not in submission.form_data
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["secretariat@example.org"]
    assert email.subject == "Message from the website"
    assert "How can our academy host a course?" in email.body and "grace@example.org" in email.body
    assert HONEYPOT_FIELD not in email.body and "Leave this field empty" not in email.body


def test_missing_field_shows_an_error_and_keeps_what_was_typed(client, contact, mailoutbox):
    response = client.post(contact.url, {**MESSAGE, "your_email_address": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please correct the fields marked below" in html
    assert "This field is required." in html
    assert 'value="Grace Uwase"' in html
    assert "How can our academy host a course?" in html
    assert not FormSubmission.objects.exists() and not mailoutbox


def test_invalid_email_address_is_reported(client, contact):
    html = client.post(contact.url, {**MESSAGE, "your_email_address": "not-an-address"}).content.decode()
    assert "Enter a valid email address." in html and 'value="not-an-address"' in html


def test_bot_filling_the_trap_field_is_turned_away_silently(client, contact, mailoutbox):
    response = client.post(contact.url, {**MESSAGE, HONEYPOT_FIELD: "http://spam.example"})
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    assert not FormSubmission.objects.exists()
    assert not mailoutbox


def test_too_many_messages_from_one_address_are_refused_and_kept(client, contact, mailoutbox):
    for _ in range(ContactPage.submissions_per_hour):
        assert client.post(contact.url, MESSAGE, REMOTE_ADDR="203.0.113.5").status_code == 200
    response = client.post(contact.url, MESSAGE, REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Please try again later" in html
    assert "How can our academy host a course?" in html  # nothing lost
    assert FormSubmission.objects.count() == ContactPage.submissions_per_hour
    assert len(mailoutbox) == ContactPage.submissions_per_hour
    # Another visitor is not affected.
    assert client.post(contact.url, MESSAGE, REMOTE_ADDR="198.51.100.7").status_code == 200
    assert FormSubmission.objects.count() == ContactPage.submissions_per_hour + 1


def test_invalid_attempts_do_not_use_up_the_allowance(client, contact):
    for _ in range(ContactPage.submissions_per_hour + 2):
        client.post(contact.url, {**MESSAGE, "your_name": ""}, REMOTE_ADDR="203.0.113.9")
    assert client.post(contact.url, MESSAGE, REMOTE_ADDR="203.0.113.9").status_code == 200
    assert FormSubmission.objects.count() == 1


def test_french_contact_page_answers_in_french(client, site):
    page = contact_page(site["fr"], title="Contact", slug="contact")
    html = client.post(page.url, {**MESSAGE, "your_name": ""}).content.decode()
    assert '<html lang="fr">' in html
    assert 'class="errorlist"' in html and "This field is required." not in html  # Django's French message


def test_message_field_is_limited_in_the_browser(client, contact):
    html = client.get(contact.url).content.decode()
    assert f'maxlength="{ContactPage.message_max_length}"' in html
    assert ContactPage.message_max_length == 5000


def test_too_long_message_is_refused_with_a_clear_error_and_kept(client, contact, mailoutbox):
    long_message = "Please read this. " * 6000  # ~100,000 characters
    response = client.post(contact.url, {**MESSAGE, "your_message": long_message})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please shorten your message to 5,000 characters" in html
    assert "There is a problem" in html and 'href="#id_your_message"' in html
    assert long_message.strip() in html  # what was typed is kept, to shorten it
    assert not FormSubmission.objects.exists() and not mailoutbox


def test_message_at_the_limit_is_sent(client, contact, mailoutbox):
    response = client.post(contact.url, {**MESSAGE, "your_message": "x" * 5000})
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    assert len(mailoutbox) == 1


def test_staff_can_reply_to_the_visitor_from_the_email(client, contact, mailoutbox):
    client.post(contact.url, MESSAGE)
    [email] = mailoutbox
    assert email.reply_to == ["grace@example.org"]
    assert email.to == ["secretariat@example.org"]


def test_reply_to_uses_the_visitors_address_whatever_the_field_is_called(client, site, mailoutbox):
    french = contact_page(
        site["fr"],
        slug="ecrire",
        form_fields=[
            ContactFormField(label="Votre adresse électronique", field_type="email", required=True, sort_order=0),
            ContactFormField(label="Votre message", field_type="multiline", required=True, sort_order=1),
        ],
    )
    client.post(french.url, {"votre_adresse_electronique": "awa@example.org", "votre_message": "Bonjour"})
    [email] = mailoutbox
    assert email.reply_to == ["awa@example.org"]
