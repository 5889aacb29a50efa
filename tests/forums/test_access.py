"""Who reads which forum: access levels, working groups through guardian, hidden and held content, and no
leak of a restricted forum through lists, "latest", profiles or mention suggestions."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from forums import permissions, queries, services
from network.choices import AccessLevel, MemberCategory
from network.models import CommunityAccessRequest
from network.services import community
from tests.factories.forums import community_member, make_forum, network_member, reply, start_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def working_group(alice):
    """A restricted forum granted to a group holding Alice only."""
    forum = make_forum("Recruitment working group", is_restricted=True)
    group = Group.objects.create(name="Recruitment working group")
    alice.user.groups.add(group)
    services.set_forum_groups(forum, perm="forums.read_forum", groups=[group], actor=None)
    return forum


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_observer_and_network_member_without_community_access_are_refused(client, forum):
    observer = network_member(MemberCategory.OBSERVER)
    active = network_member()

    for person in (observer, active):
        response = page(client, person.user, reverse("forums:forum_index"))
        assert response.status_code == 403
        assert "approved" in response.content.decode()


def test_network_level_forum_opens_to_network_members_only(client, moderator):
    network_forum = make_forum("Network notes", level=AccessLevel.NETWORK)
    active = network_member()
    observer = network_member(MemberCategory.OBSERVER)

    assert page(client, active.user, reverse("forums:forum_detail", args=[network_forum.slug])).status_code == 200
    assert page(client, observer.user, reverse("forums:forum_detail", args=[network_forum.slug])).status_code == 403


def test_working_group_forum_is_invisible_outside_the_group(client, alice, beatrice, working_group):
    topic = start_topic(alice, working_group, title="Secret-Recruitment-Plan")
    urls = [
        reverse("forums:forum_index"),
        reverse("forums:latest"),
        reverse("forums:member_posts", args=[alice.public_id]),
        reverse("network:community_home"),
        reverse("network:members_area"),
    ]

    for url in urls:
        body = page(client, beatrice.user, url).content.decode()
        assert "Secret-Recruitment-Plan" not in body, url
    assert page(client, beatrice.user, reverse("forums:topic_detail", args=[topic.pk])).status_code == 404
    assert page(client, beatrice.user, reverse("forums:forum_detail", args=[working_group.slug])).status_code == 404
    assert "Secret-Recruitment-Plan" in page(client, alice.user, reverse("forums:latest")).content.decode()


def test_grant_does_not_lift_a_member_above_the_forum_level(client, working_group):
    outsider = network_member()
    group = Group.objects.get(name="Recruitment working group")
    outsider.user.groups.add(group)

    assert not permissions.can_read_forum(outsider.user, working_group)


def test_revoked_community_access_closes_the_forums(client, alice, moderator, forum):
    start_topic(alice, forum)
    access = CommunityAccessRequest.objects.filter(member=alice).latest("pk")
    community.revoke_community_access(access, actor=moderator, reason="Left the police service")

    response = page(client, alice.user, reverse("forums:forum_index"))

    assert response.status_code == 403


def test_hidden_post_is_gone_for_members_and_kept_for_moderators(client, alice, beatrice, moderator, forum):
    topic = start_topic(alice, forum)
    post = reply(beatrice, topic, body="Hidden-Words-Tapir")
    services.hide_post(post, actor=moderator, reason="Personal data")

    url = reverse("forums:topic_detail", args=[topic.pk])
    assert "Hidden-Words-Tapir" not in page(client, alice.user, url).content.decode()
    assert "Hidden-Words-Tapir" in page(client, moderator, url).content.decode()


def test_held_first_post_waits_for_a_moderator(client, beatrice, alice, moderator):
    forum = make_forum("Introductions", hold_first_posts=True)
    topic = start_topic(beatrice, forum, title="Hello from Goma")

    assert topic.is_held
    assert "Hello from Goma" not in page(client, alice.user, reverse("forums:latest")).content.decode()
    assert (
        "Hello from Goma"
        in page(client, beatrice.user, reverse("forums:forum_detail", args=[forum.slug])).content.decode()
    )

    services.approve_post(topic.posts.get(number=1), actor=moderator)

    assert "Hello from Goma" in page(client, alice.user, reverse("forums:latest")).content.decode()


def test_mention_suggestions_offer_only_members_the_writer_may_see(client, alice, beatrice, forum):
    services.forum_profile(beatrice.user)
    hidden = community_member(user__first_name="Beata", user__last_name="Private", visibility={})
    services.forum_profile(hidden.user)

    response = page(client, alice.user, reverse("forums:mention_suggestions") + "?q=bea")

    handles = [row["handle"] for row in response.json()["results"]]
    assert handles == ["beatrice.kabore"]


def test_topic_list_costs_the_same_queries_for_many_topics(
    client, alice, beatrice, forum, django_assert_max_num_queries
):
    for number in range(40):
        topic = start_topic(alice, forum, title=f"Topic number {number}")
        reply(beatrice, topic)
    client.force_login(beatrice.user)
    client.get(reverse("forums:forum_detail", args=[forum.slug]))

    with django_assert_max_num_queries(10):
        assert client.get(reverse("forums:forum_detail", args=[forum.slug])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("forums:latest")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("forums:forum_index")).status_code == 200


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_first_and_deep_pages_of_a_topic_list_cost_the_same_queries(
    client, alice, beatrice, forum, django_assert_max_num_queries
):
    for number in range(35):
        start_topic(alice, forum, title=f"Topic number {number}")
    client.force_login(beatrice.user)
    url = reverse("forums:forum_detail", args=[forum.slug])
    client.get(url)
    first, second = _queries(client, url), _queries(client, url + "?page=2")
    for number in range(60):
        start_topic(alice, forum, title=f"More topic {number}")

    assert _queries(client, url + "?page=4") == _queries(client, url) == first == second
    with django_assert_max_num_queries(10):
        assert client.get(url + "?page=3").status_code == 200


def test_first_and_last_pages_of_a_topic_cost_the_same_queries(
    client, alice, beatrice, forum, django_assert_max_num_queries
):
    topic = start_topic(alice, forum)
    for number in range(45):
        reply(beatrice if number % 2 else alice, topic, body=f"Reply {number}")
    client.force_login(beatrice.user)
    url = reverse("forums:topic_detail", args=[topic.pk])
    for page_url in (url, url + "?page=3"):
        client.get(page_url)  # her read state moves once; reading the page again writes nothing

    assert _queries(client, url) == _queries(client, url + "?page=3") == _queries(client, url + "?page=2")
    with django_assert_max_num_queries(10):
        assert client.get(url + "?page=3").status_code == 200


def test_topic_page_costs_the_same_queries_for_many_posts(
    client, alice, beatrice, forum, django_assert_max_num_queries
):
    topic = start_topic(alice, forum)
    services.forum_profile(beatrice.user)
    for number in range(30):
        reply(beatrice if number % 2 else alice, topic, body=f"Reply {number} @beatrice.kabore")
    client.force_login(beatrice.user)
    client.get(reverse("forums:topic_detail", args=[topic.pk]))

    with django_assert_max_num_queries(10):
        assert client.get(reverse("forums:topic_detail", args=[topic.pk]) + "?page=2").status_code == 200


def test_unread_and_new_markers_in_the_topic_list(client, alice, beatrice, forum):
    seen = start_topic(alice, forum, title="Seen topic")
    start_topic(alice, forum, title="Unseen topic")
    page(client, beatrice.user, reverse("forums:topic_detail", args=[seen.pk]))
    reply(alice, seen)
    reply(alice, seen)

    rows = {row.topic.title: row for row in queries.latest_topics(beatrice.user)}

    assert rows["Seen topic"].unread == 2 and not rows["Seen topic"].is_new
    assert rows["Unseen topic"].is_new


def test_topic_list_pages_count_what_each_reader_may_see(client, alice, beatrice, moderator, forum):
    from forums.queries import TOPICS_PER_PAGE

    topics = [start_topic(alice, forum, title=f"Counted topic {number}") for number in range(TOPICS_PER_PAGE + 1)]
    url = reverse("forums:forum_detail", args=[forum.slug])
    client.force_login(beatrice.user)
    assert client.get(url).context["page"].paginator.num_pages == 2

    services.hide_topic(topics[0], actor=moderator, reason="Off topic")
    member_page = client.get(url).context["page"]
    assert (member_page.paginator.count, member_page.paginator.num_pages) == (TOPICS_PER_PAGE, 1)
    listed = client.get(url).content.decode()
    assert "Counted topic 0<" not in listed and "Counted topic 1<" in listed

    client.force_login(moderator)
    moderator_page = client.get(url).context["page"]
    assert (moderator_page.paginator.count, moderator_page.paginator.num_pages) == (TOPICS_PER_PAGE + 1, 2)

    services.hide_topic(topics[0], actor=moderator, reason="Back on topic", hidden=False)
    client.force_login(beatrice.user)
    assert client.get(url).context["page"].paginator.count == TOPICS_PER_PAGE + 1
