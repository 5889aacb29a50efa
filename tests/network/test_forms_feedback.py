"""What a person sees when a form of ours refuses what she sent: an error summary at the top linking to each
field in error, a message for every refusal (never a silent reload), and the texts a form refers to."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from network.choices import MemberCategory, StaffRole, Visibility
from network.models import Member
from network.services import community
from tests.factories import MemberFactory, UserFactory
from tests.factories.cms import contact_page
from tests.factories.staff import make_staff

pytestmark = pytest.mark.django_db

SUMMARY_HEADING = "There is a problem"


class _Page(HTMLParser):
    """The error summary's links and messages, and every element id of the page."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.summary: dict | None = None
        self.links: list[tuple[str, str]] = []
        self.items: list[str] = []
        self._depth = 0  # <div> depth inside the summary
        self._href: str | None = None
        self._text: list[str] = []
        self._in_item = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if self.summary is None and tag == "div" and "error-summary" in (attrs.get("class") or "").split():
            self.summary = attrs
            self._depth = 1
            return
        if self._depth:
            if tag == "div":
                self._depth += 1
            elif tag == "li":
                self._in_item, self._text = True, []
            elif tag == "a":
                self._href = attrs.get("href")

    def handle_endtag(self, tag):
        if not self._depth:
            return
        if tag == "div":
            self._depth -= 1
        elif tag == "li" and self._in_item:
            text = " ".join("".join(self._text).split())
            self.items.append(text)
            if self._href is not None:
                self.links.append((self._href, text))
            self._in_item, self._href = False, None

    def handle_data(self, data):
        if self._depth and self._in_item:
            self._text.append(data)


def read_page(response) -> _Page:
    page = _Page()
    page.feed(response.content.decode())
    return page


def assert_summary_links_to(response, *field_ids: str) -> _Page:
    """The summary is there, headed, focusable, and links to each field (whose id is on the page)."""
    page = read_page(response)
    html = response.content.decode()
    assert page.summary is not None, "no error summary on the page"
    assert page.summary.get("tabindex") == "-1"
    assert SUMMARY_HEADING in html
    hrefs = [href for href, _text in page.links]
    for field_id in field_ids:
        assert f"#{field_id}" in hrefs, f"no link to #{field_id} in {hrefs}"
    for href in hrefs:
        assert href.startswith("#") and href[1:] in page.ids, f"{href} points to no element of the page"
    # The summary comes before the form's fields.
    assert html.index("error-summary") < html.index(f'id="{field_ids[0]}"')
    return page


@pytest.fixture
def signed_in(client):
    member = MemberFactory(user__first_name="Amina", user__last_name="Diallo")
    client.force_login(member.user)
    return member


# --- (a) the error summary --------------------------------------------------------------------------------


def test_no_error_summary_before_anything_is_sent(client, site, signed_in):
    for url in (reverse("network:apply_details", args=["observer"]), reverse("network:edit_profile")):
        assert read_page(client.get(url)).summary is None


def test_application_evidence_errors_are_summarised_with_links(client, site, signed_in):
    response = client.post(reverse("network:apply_details", args=["active"]), {"rank": "Inspector"})
    page = assert_summary_links_to(response, "id_police_service", "id_mission", "id_mission_start_year")
    assert "This field is required." in page.items


def test_profile_errors_are_summarised_including_the_missions(client, site, signed_in):
    data = {
        "first_name": "Amina",
        "last_name": "Diallo",
        "missions-TOTAL_FORMS": "1",
        "missions-INITIAL_FORMS": "0",
        "missions-MIN_NUM_FORMS": "0",
        "missions-MAX_NUM_FORMS": "30",
        "missions-0-mission": "",
        "missions-0-start_year": "3000",
        "missions-0-end_year": "",
    }
    data.update({f"visibility_{field}": Visibility.PRIVATE for field in Member.VISIBLE_FIELDS})
    data["visibility_bio"] = "everyone-on-earth"
    response = client.post(reverse("network:edit_profile"), data)
    page = assert_summary_links_to(response, "id_visibility_bio", "id_missions-0-start_year")
    assert "The start year cannot be in the future." in page.items


def test_contact_form_errors_are_summarised(client, site):
    contact = contact_page(site["en"])
    response = client.post(contact.url, {"your_name": "Grace", "your_email_address": "nope", "your_message": ""})
    assert_summary_links_to(response, "id_your_email_address", "id_your_message")


def test_message_to_a_member_error_is_summarised(client, site, signed_in):
    signed_in.category = MemberCategory.ACTIVE
    signed_in.save()
    recipient = MemberFactory(
        category=MemberCategory.CIVILIAN, visibility={field: Visibility.NETWORK for field in Member.VISIBLE_FIELDS}
    )
    response = client.post(reverse("network:contact_member", args=[recipient.public_id]), {"body": "   "})
    assert_summary_links_to(response, "id_body")


def test_community_request_error_is_summarised(client, site, signed_in):
    signed_in.category = MemberCategory.ACTIVE
    signed_in.save()
    response = client.post(reverse("network:community_status"), {"motivation": "Too short"})
    assert_summary_links_to(response, "id_motivation")


def test_account_deletion_errors_are_summarised(client, site, signed_in):
    response = client.post(reverse("network:delete_account"), {"password": "not my password"})
    assert_summary_links_to(response, "id_password", "id_confirm")


def test_login_and_signup_errors_are_summarised(client, site):
    response = client.post(reverse("account_login"), {"login": "someone@example.org", "password": ""})
    assert_summary_links_to(response, "id_password")
    response = client.post(reverse("account_signup"), {"email": "not-an-address"})
    assert_summary_links_to(response, "id_first_name", "id_email", "id_password1", "id_agree_terms")


def test_wrong_password_is_summarised_without_a_field_link(client, site):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": "wrong password here"})
    page = read_page(response)
    assert page.summary is not None
    assert any("not correct" in item for item in page.items)


def test_error_summary_is_in_french_on_french_pages(client, site, signed_in):
    response = client.post(reverse("network:delete_account").replace("/en/", "/fr/"), {"password": "x"})
    assert "Il y a un problème" in response.content.decode()


# --- (b) step 1 of the application ------------------------------------------------------------------------


def _hidden_inputs(html: str, form_action: str) -> dict:
    form = html[html.index(f'action="{form_action}"') :]
    form = form[: form.index("</form>")]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def test_application_step_one_without_a_category_says_what_is_missing(client, site, signed_in):
    apply = reverse("network:apply")
    page = client.get(apply).content.decode()
    assert "Please choose a category." not in page
    # What the browser sends when "Continue" is pressed with no category chosen: the form's hidden inputs.
    response = client.get(apply, _hidden_inputs(page, apply))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please choose a category." in html
    assert_summary_links_to(response, "id_category_0")


def test_application_step_one_with_a_category_goes_to_step_two(client, site, signed_in):
    apply = reverse("network:apply")
    data = {**_hidden_inputs(client.get(apply).content.decode(), apply), "category": "observer"}
    response = client.get(apply, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("network:apply_details", args=["observer"])


# --- (c) the terms the sign-up checkbox accepts -------------------------------------------------------------


def test_terms_checkbox_links_to_the_terms_it_accepts(client, site):
    html = client.get(reverse("account_signup")).content.decode()
    terms_url = reverse("network:terms")
    assert f'href="{terms_url}"' in html
    terms = client.get(terms_url)
    assert terms.status_code == 200
    text = terms.content.decode()
    assert "Terms of membership" in text
    assert f"Version {settings.TERMS_VERSION}" in text


def test_terms_exist_in_french(client, site):
    html = client.get(reverse("account_signup").replace("/en/", "/fr/")).content.decode()
    assert 'href="/fr/members/terms/"' in html
    assert "Conditions d'adhésion" in client.get("/fr/members/terms/").content.decode()


# --- (e) a moderator's decline without a reason ------------------------------------------------------------


def test_decline_without_reason_shows_its_error_at_the_top(client, site):
    applicant = MemberFactory(
        category=MemberCategory.ACTIVE, visibility={field: Visibility.NETWORK for field in Member.VISIBLE_FIELDS}
    )
    access = community.request_community_access(
        applicant, actor=applicant.user, motivation="I train officers and would like to share our curriculum."
    )
    client.force_login(make_staff(StaffRole.MODERATOR))
    response = client.post(f"/admin/community-access/{access.pk}/", {"action": "decline", "reason": "  "})
    assert response.status_code == 200
    page = assert_summary_links_to(response, "decline_reason")
    assert "Please give the member a reason." in page.items
    html = response.content.decode()
    # Before the request's details, where the moderator is when the page reloads.
    assert html.index("error-summary") < html.index("Motivation")
    access.refresh_from_db()
    assert access.state == "pending"


# --- (f) one vocabulary: "Log in", "Sign up", "Log out" ---------------------------------------------------


def _words(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.mark.parametrize(
    ("language", "log_in", "sign_up"), [("en", "Log in", "Sign up"), ("fr", "Se connecter", "S'inscrire")]
)
def test_login_and_signup_pages_say_log_in_and_sign_up(client, site, language, log_in, sign_up):
    login = client.get(f"/{language}/accounts/login/")
    html = unescape(login.content.decode())
    assert f"<title>{log_in}" in " ".join(html.split()).replace("<title> ", "<title>")
    assert re.search(rf"<h1>\s*{log_in}\s*</h1>", html)
    assert re.search(rf'<button\s+type="submit"\s*>\s*{log_in}\s*</button>', html)
    signup = client.get(f"/{language}/accounts/signup/")
    signup_html = unescape(signup.content.decode())
    assert re.search(rf"<h1>\s*{sign_up}\s*</h1>", signup_html)
    assert re.search(rf'<button\s+type="submit"\s*>\s*{sign_up}\s*</button>', signup_html)
    for words in (_words(login), _words(signup)):
        for other in ("Sign In", "Sign Up", "sign in", "Connexion", "Inscription"):
            assert other not in words, other


def test_logging_in_and_out_say_so_in_the_same_words(client, site):
    user = UserFactory()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": UserFactory.PASSWORD}, follow=True
    )
    assert "You are logged in as" in _words(response)
    logout = client.get(reverse("account_logout"))
    assert "Are you sure you want to log out?" in _words(logout) and "Sign Out" not in _words(logout)
    response = client.post(reverse("account_logout"), follow=True)
    assert "You have logged out." in _words(response)
