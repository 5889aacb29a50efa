"""The members' area ("My network"): each person sees the sections she may use, one line on why the others are
not open to her, and no count of anything she may not open; the Community of Practice home is built from the
registered panels."""

import datetime
import re

import pytest
from django.urls import reverse

from campaigns import services as campaign_services
from campaigns.choices import AdvocacyKind
from network.choices import MemberCategory, StaffRole, Visibility
from network.models import Member
from network.services import community, messaging
from network.services.applications import approve_application, submit_application
from tests.factories import MemberFactory
from tests.factories.staff import EVIDENCE, make_staff

pytestmark = pytest.mark.django_db

AREA = "/en/members/"
SHARED_WITH_NETWORK = dict.fromkeys(Member.VISIBLE_FIELDS, Visibility.NETWORK)


def network_member(category=MemberCategory.ACTIVE, **kwargs) -> Member:
    kwargs.setdefault("visibility", SHARED_WITH_NETWORK)
    return MemberFactory(category=category, **kwargs)


def community_member(moderator, **kwargs) -> Member:
    member = network_member(MemberCategory.CIVILIAN, **kwargs)
    access = community.request_community_access(member, actor=member.user, motivation="I train officers.")
    community.approve_community_request(access, actor=moderator)
    return member


def area_of(client, user) -> str:
    client.force_login(user)
    response = client.get(AREA)
    assert response.status_code == 200
    return response.content.decode()


def available(html: str) -> list[str]:
    return re.findall(r'data-section="([\w-]+)"', html)


def unavailable(html: str) -> list[str]:
    return re.findall(r'data-unavailable-section="([\w-]+)"', html)


def why_not(html: str, key: str) -> str:
    line = re.search(rf'data-unavailable-section="{key}"><strong>[^<]*</strong>: ([^<]*)</li>', html)
    assert line, f"no line for {key}"
    return line.group(1)


@pytest.fixture
def moderator(db):
    return make_staff(StaffRole.MODERATOR)


@pytest.fixture
def listed(moderator):
    """Three members the directory lists: two network members and one with Community of Practice access."""
    return [network_member(), network_member(MemberCategory.HONORARY), community_member(moderator)]


def test_anonymous_visitor_is_sent_to_log_in(client, site):
    response = client.get(AREA)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={AREA}"


def test_applicant_sees_her_application_and_why_the_rest_is_closed(client, site, listed):
    applicant = MemberFactory()
    submit_application(applicant.user, category=MemberCategory.CIVILIAN, evidence=EVIDENCE[MemberCategory.CIVILIAN]())

    html = area_of(client, applicant.user)

    assert available(html) == ["notifications", "library", "requests", "events"]
    assert unavailable(html) == ["directory", "community", "forums", "messages", "mentoring", "advocacy"]
    assert "Membership application: Civilian" in html
    assert "once their membership application is approved" in why_not(html, "directory")
    assert "Not open to you yet" in html
    assert "members listed" not in html and "unread message" not in html and "actions logged" not in html


def test_applicant_who_has_not_applied_is_offered_the_application(client, site):
    html = area_of(client, MemberFactory().user)

    assert reverse("network:apply") in html
    assert "Apply for membership" in html


def test_observer_logs_advocacy_but_sees_no_directory_count(client, site, listed):
    observer = MemberFactory(category=MemberCategory.OBSERVER)

    html = area_of(client, observer.user)

    assert available(html) == ["notifications", "library", "requests", "events", "advocacy"]
    assert unavailable(html) == ["directory", "community", "forums", "messages", "mentoring"]
    assert why_not(html, "directory") == "Open to active, civilian and honorary members; observers do not have access."
    assert "members listed" not in html
    assert reverse("network:directory") not in html
    assert "0</strong> actions logged" in html


def test_active_member_without_community_access_is_told_how_to_ask(client, site, listed):
    member = network_member()

    html = area_of(client, member.user)

    assert available(html) == [
        "directory",
        "messages",
        "notifications",
        "library",
        "requests",
        "events",
        "mentoring",
        "advocacy",
    ]
    assert unavailable(html) == ["community", "forums"]
    assert "moderator approves their request" in why_not(html, "community")
    assert "<strong>4</strong> members listed" in html  # the three others and herself
    assert "Ask to take part in the Community of Practice" in html
    assert reverse("network:community_home") not in html


def test_pending_community_request_is_shown_in_progress(client, site, listed):
    member = network_member()
    community.request_community_access(member, actor=member.user, motivation="I lead a unit.")

    html = area_of(client, member.user)

    assert why_not(html, "community") == "Your request to take part is waiting for a moderator&#x27;s decision."
    assert "Community of Practice access request" in html
    assert "Ask to take part" not in html


def test_community_member_has_every_section_and_nothing_closed(client, site, moderator, listed):
    member = community_member(moderator)

    html = area_of(client, member.user)

    assert available(html) == [
        "directory",
        "community",
        "forums",
        "messages",
        "notifications",
        "library",
        "requests",
        "events",
        "mentoring",
        "advocacy",
    ]
    assert unavailable(html) == []
    assert "Not open to you yet" not in html
    assert reverse("network:community_home") in html


def test_staff_get_the_administration_with_their_queues(client, site, listed):
    officer = make_staff(StaffRole.MEMBERSHIP_OFFICER)
    submit_application(
        MemberFactory().user, category=MemberCategory.OBSERVER, evidence=EVIDENCE[MemberCategory.OBSERVER]()
    )

    html = area_of(client, officer)

    assert available(html) == ["notifications", "library", "requests", "events", "administration"]
    assert unavailable(html) == ["directory", "community", "forums", "messages", "mentoring", "advocacy"]
    assert "Membership applications waiting for a decision" in html
    assert "1 waiting" in html
    assert "Apply for membership" not in html


def test_members_do_not_get_the_administration(client, site, moderator):
    html = area_of(client, community_member(moderator).user)

    assert "administration" not in available(html) + unavailable(html)
    assert 'href="/admin/"' not in html


def test_unread_count_follows_messages_received_and_read(client, site, moderator):
    reader = community_member(moderator)
    writer = network_member()
    message = messaging.send_member_message(writer, reader, body="Could we talk about recruitment?")

    html = area_of(client, reader.user)
    assert "<strong>1</strong> unread message" in html
    assert '<span class="badge">1<span class="visually-hidden"> unread</span></span>' in html

    client.get(reverse("network:message_detail", args=[message.pk]))
    html = client.get(AREA).content.decode()
    assert "<strong>0</strong> unread messages" in html
    assert 'class="badge"' not in html


def test_area_follows_a_category_change(client, site, listed):
    observer = MemberFactory(category=MemberCategory.OBSERVER)
    assert "directory" in unavailable(area_of(client, observer.user))

    application = submit_application(
        observer.user, category=MemberCategory.ACTIVE, evidence=EVIDENCE[MemberCategory.ACTIVE]()
    )
    approve_application(application, actor=make_staff(StaffRole.MEMBERSHIP_OFFICER), reason="Checked.")

    html = client.get(AREA).content.decode()
    assert "directory" in available(html)


def test_area_counts_a_newly_logged_advocacy_action(client, site):
    observer = MemberFactory(category=MemberCategory.OBSERVER)
    assert "<strong>0</strong> actions logged" in area_of(client, observer.user)

    campaign_services.log_advocacy_action(
        actor=observer.user,
        kind=AdvocacyKind.TALK,
        title="Talk at the academy",
        description="",
        country="SN",
        place="Dakar",
        date=datetime.date(2024, 1, 1),
        people_reached=30,
    )

    assert "<strong>1</strong> action logged" in client.get(AREA).content.decode()


def test_area_is_in_french_under_fr(client, site, moderator):
    client.force_login(network_member().user)

    html = client.get("/fr/members/").content.decode()

    assert "Mon réseau" in html
    assert "Pas encore ouvert pour vous" in html
    assert "Not open to you yet" not in html


def test_area_costs_few_queries_and_fewer_once_cached(client, site, moderator, listed, django_assert_max_num_queries):
    # Another visit at her level fills what all share (menu, branding, directory size).
    area_of(client, listed[2].user)
    member = community_member(moderator)
    client.force_login(member.user)
    # User; the header's viewer query; her readable forums; the library's newest documents with their count; her
    # application, her Community of Practice request, her registrations, her mentoring requests and her
    # advocacy actions: one query each, however much there is.
    with django_assert_max_num_queries(9):
        client.get(AREA)
    # Her sections come from the cache: only what every signed-in page costs is left.
    with django_assert_max_num_queries(4):
        client.get(AREA)


# --- the header and the home page ---------------------------------------------------------------------------------


def test_signed_in_header_has_one_account_menu_and_no_sign_up(client, site):
    client.force_login(network_member().user)

    html = client.get(AREA).content.decode()

    assert 'class="account-menu"' in html
    for link in ("My network", "My profile", "Messages", "Account settings", "Log out"):
        assert link in html
    assert reverse("account_signup") not in html
    assert "Join the network" not in html
    assert "Administration" not in html


def test_staff_header_links_to_the_administration(client, site):
    client.force_login(make_staff(StaffRole.EDITOR))

    assert 'href="/admin/">Administration</a>' in client.get(AREA).content.decode()


def test_visitor_header_offers_log_in_and_sign_up(client, site):
    html = client.get("/en/").content.decode()

    assert f'href="{reverse("account_login")}">Log in</a>' in html
    assert f'href="{reverse("account_signup")}">Sign up</a>' in html
    assert 'class="account-menu"' not in html


def test_signed_in_people_see_no_join_link_on_the_home_page_or_in_the_menu(client, site):
    from cms.models import JoinPage
    from tests.factories.cms import publish_child

    join = publish_child(site["en"], JoinPage, title="How to join us", slug="join", show_in_menus=True)
    assert join.url in client.get("/en/").content.decode()

    client.force_login(MemberFactory(category=MemberCategory.OBSERVER).user)
    html = client.get("/en/").content.decode()

    assert "Join the network" not in html
    assert "How to join" not in html
    assert f'href="{join.url}"' not in html
    assert reverse("network:members_area") in html


def test_favicon_is_served(client, site):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])[:4] == b"\0\0\1\0"
    assert '<link rel="icon"' in client.get("/en/").content.decode()


# --- the Community of Practice home --------------------------------------------------------------------------------


def panels(html: str) -> list[str]:
    return re.findall(r'data-panel="([\w-]+)"', html)


def test_community_home_is_built_from_the_panels(client, site, moderator, listed):
    member = community_member(moderator)
    client.force_login(member.user)

    html = client.get(reverse("network:community_home")).content.decode()

    assert panels(html) == ["directory", "forums", "messages", "library", "advocacy"]
    assert "being built" not in html and "will hold" not in html
    assert "members of the network are listed" in html


def test_community_home_shows_requests_waiting_for_her_endorsement(client, site, moderator, listed):
    member = community_member(moderator)
    asking = network_member(user__first_name="Noor", user__last_name="Haddad")
    community.request_community_access(asking, actor=asking.user, motivation="Private-Motivation-Text")
    client.force_login(member.user)

    html = client.get(reverse("network:community_home")).content.decode()

    assert panels(html) == ["directory", "forums", "endorsements", "messages", "library", "advocacy"]
    assert "Noor Haddad" in html
    assert "Private-Motivation-Text" not in html


def test_community_home_lists_message_senders_but_not_the_text(client, site, moderator):
    member = community_member(moderator)
    writer = network_member(user__first_name="Grace", user__last_name="Uwase")
    messaging.send_member_message(writer, member, body="Body-Text-Not-Shown")
    client.force_login(member.user)

    html = client.get(reverse("network:community_home")).content.decode()

    assert "Grace Uwase" in html
    assert "You have 1 unread message." in html
    assert "Body-Text-Not-Shown" not in html
