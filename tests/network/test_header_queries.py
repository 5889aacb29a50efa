"""What the header costs every signed-in page: site, branding, staff roles, the admin check, the menu and the
unread count together cost at most two queries more than the bare signed-in view (session and user)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from network.choices import MemberCategory, StaffRole, Visibility
from network.models import Member
from network.services import community, messaging
from tests.factories import MemberFactory
from tests.factories.staff import make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.network.header_urls")]

HEADER_QUERIES = 2
SHARED = dict.fromkeys(Member.VISIBLE_FIELDS, Visibility.NETWORK)


def queries_of(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return [query["sql"] for query in context.captured_queries]


def header_cost(client, user) -> tuple[int, str]:
    client.force_login(user)
    client.get("/header-probe/")  # fills what every visitor of her audience shares: menu, branding
    bare = queries_of(client, "/bench/signed-in/")
    with CaptureQueriesContext(connection) as context:
        html = client.get("/header-probe/").content.decode()
    page = [query["sql"] for query in context.captured_queries]
    extra = len(page) - len(bare)
    assert extra <= HEADER_QUERIES, f"the header costs {extra} queries:\n" + "\n".join(page[len(bare) :])
    return extra, html


def test_header_of_a_community_member_with_unread_messages_costs_two_queries(client, site):
    moderator = make_staff(StaffRole.MODERATOR)
    member = MemberFactory(category=MemberCategory.HONORARY, visibility=SHARED)
    access = community.request_community_access(member, actor=member.user, motivation="I train officers.")
    community.approve_community_request(access, actor=moderator)
    writer = MemberFactory(category=MemberCategory.ACTIVE, visibility=SHARED)
    messaging.send_member_message(writer, member, body="Hello")
    messaging.send_member_message(writer, member, body="Hello again")

    _extra, html = header_cost(client, member.user)

    assert '<span class="badge">2<span class="visually-hidden"> unread</span></span>' in html
    assert "My network" in html


@pytest.mark.parametrize("role", [StaffRole.ADMINISTRATOR, StaffRole.EDITOR, StaffRole.MODERATOR])
def test_header_of_staff_costs_two_queries(client, site, role):
    _extra, html = header_cost(client, make_staff(role))

    assert 'href="/admin/">Administration</a>' in html


@pytest.mark.parametrize("category", ["", MemberCategory.OBSERVER, MemberCategory.ACTIVE])
def test_header_of_members_costs_two_queries(client, site, category):
    _extra, html = header_cost(client, MemberFactory(category=category).user)

    assert "Administration" not in html
