"""Starting topics and replying: numbering, counters, read tracking, drafts and the refusals a writer sees."""

import pytest
from django.urls import reverse

from forums import services
from forums.models import Draft, Post, Topic, TopicReadState
from forums.services import ForumError
from tests.factories.forums import reply, start_topic

pytestmark = pytest.mark.django_db


def test_reply_numbers_posts_and_keeps_counters(alice, beatrice, forum):
    topic = start_topic(alice, forum)
    first = reply(beatrice, topic)
    second = reply(alice, topic)

    topic.refresh_from_db()
    forum.refresh_from_db()
    assert [first.number, second.number] == [2, 3]
    assert topic.post_count == 3 and topic.reply_count == 2
    assert topic.last_post_id == second.pk
    assert forum.topic_count == 1 and forum.post_count == 3 and forum.last_post_id == second.pk


def test_member_starts_topic_and_replies_through_the_pages(client, alice, forum):
    client.force_login(alice.user)
    response = client.post(
        reverse("forums:new_topic", args=[forum.slug]),
        {"title": "Night patrols in Juba", "body": "What has **worked** for you?", "action": "post"},
    )
    topic = Topic.objects.get(title="Night patrols in Juba")
    assert response.status_code == 302

    response = client.post(reverse("forums:reply", args=[topic.pk]), {"body": "Pairs, always.", "action": "post"})
    assert response.status_code == 302
    page = client.get(reverse("forums:topic_detail", args=[topic.pk])).content.decode()
    assert "<strong>worked</strong>" in page and "Pairs, always." in page


def test_empty_reply_is_refused_with_a_message(client, alice, forum):
    topic = start_topic(alice, forum)
    client.force_login(alice.user)

    response = client.post(reverse("forums:reply", args=[topic.pk]), {"body": "   ", "action": "post"})

    assert response.status_code == 400
    assert "Write something before posting." in response.content.decode()
    assert Post.objects.filter(topic=topic).count() == 1


def test_refused_reply_shows_the_last_page_of_the_topic_with_the_text_kept(client, alice, beatrice, forum):
    topic = start_topic(alice, forum, body="First words of the topic")
    Post.objects.bulk_create(
        Post(topic=topic, number=number, author=beatrice.user, body=f"Answer {number}", html=f"<p>Answer {number}</p>")
        for number in range(2, 26)
    )
    client.force_login(alice.user)

    response = client.post(reverse("forums:reply", args=[topic.pk]), {"body": "x" * 60_000, "action": "post"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "<p>Answer 25</p>" in page and "First words of the topic" not in page  # page 2 of 2, not page 1
    assert "x" * 60_000 in page


def test_oversize_post_is_refused_and_the_text_kept(client, alice, forum):
    topic = start_topic(alice, forum)
    client.force_login(alice.user)
    text = "lessons " * 7000

    response = client.post(reverse("forums:reply", args=[topic.pk]), {"body": text, "action": "post"})

    assert response.status_code == 400
    assert "at most 50,000 characters" in response.content.decode()
    assert text.strip()[:200] in response.content.decode()
    assert Draft.objects.get(user=alice.user, topic=topic).body.strip() == text.strip()


def test_reply_to_locked_topic_is_refused(client, alice, beatrice, moderator, forum):
    topic = start_topic(alice, forum)
    services.lock_topic(topic, actor=moderator, reason="Announcement")
    client.force_login(beatrice.user)

    response = client.post(reverse("forums:reply", args=[topic.pk]), {"body": "Me too", "action": "post"})

    assert response.status_code == 400
    assert "locked" in response.content.decode()
    assert Draft.objects.get(user=beatrice.user, topic=topic).body == "Me too"
    assert Post.objects.filter(topic=topic).count() == 1


def test_preview_renders_without_posting(client, alice, forum):
    topic = start_topic(alice, forum)
    client.force_login(alice.user)

    response = client.post(reverse("forums:reply", args=[topic.pk]), {"body": "*draft idea*", "action": "preview"})

    assert response.status_code == 200
    assert "<em>draft idea</em>" in response.content.decode()
    assert Post.objects.filter(topic=topic).count() == 1


def test_reading_a_page_marks_its_posts_read_and_never_moves_back(client, alice, beatrice, forum):
    topic = start_topic(alice, forum)
    for number in range(45):
        reply(alice, topic, body=f"Reply {number}")
    client.force_login(beatrice.user)

    client.get(reverse("forums:topic_detail", args=[topic.pk]) + "?page=2")
    client.get(reverse("forums:topic_detail", args=[topic.pk]) + "?page=1")

    assert TopicReadState.objects.get(user=beatrice.user, topic=topic).last_read_number == 40
    response = client.get(reverse("forums:topic_unread", args=[topic.pk]))
    assert response["Location"].endswith("?page=3#post-41")


def test_forged_topic_id_answers_not_found(client, alice):
    client.force_login(alice.user)

    response = client.post(reverse("forums:reply", args=[999999]), {"body": "Hello", "action": "post"})

    assert response.status_code == 404


def test_mention_of_a_member_the_writer_cannot_see_is_refused(alice, forum):
    topic = start_topic(alice, forum)

    with pytest.raises(ForumError, match="@nobody.here"):
        reply(alice, topic, body="Ask @nobody.here about it")

    assert Post.objects.filter(topic=topic).count() == 1


def test_topic_page_shows_her_own_marks_helpful_draft_and_watch(client, alice, beatrice, forum):
    topic = start_topic(alice, forum)
    helped = reply(alice, topic, body="Pair officers on the same routes.")
    other = reply(alice, topic, body="Report weekly.")
    services.mark_helpful(helped, user=beatrice.user)
    services.save_draft(user=beatrice.user, forum=forum, topic=topic, body="My half-written reply")
    services.set_topic_watch(user=beatrice.user, topic=topic, watching=True)
    client.force_login(beatrice.user)

    page = client.get(reverse("forums:topic_detail", args=[topic.pk])).content.decode()

    helpful_form = page.split(f'action="{reverse("forums:helpful", args=[helped.pk])}"')[1].split("</form>")[0]
    other_form = page.split(f'action="{reverse("forums:helpful", args=[other.pk])}"')[1].split("</form>")[0]
    assert 'aria-pressed="true"' in helpful_form and 'aria-pressed="false"' in other_form
    assert "1 member found this helpful" in page
    assert "My half-written reply" in page
    assert "Stop emails for every reply" in page


def test_topic_page_without_her_marks_offers_them(client, alice, beatrice, forum):
    topic = start_topic(alice, forum)
    reply(alice, topic, body="Pair officers on the same routes.")
    client.force_login(beatrice.user)

    page = client.get(reverse("forums:topic_detail", args=[topic.pk])).content.decode()

    assert 'aria-pressed="true"' not in page and "found this helpful" not in page
    assert "Email me every reply" in page


def test_blank_reply_form_is_shared_but_her_draft_and_language_are_her_own(client, alice, beatrice, forum):
    topic = start_topic(alice, forum)
    url = reverse("forums:topic_detail", args=[topic.pk])
    client.force_login(alice.user)
    blank = client.get(url).content.decode()  # the blank editor is now cached
    services.save_draft(user=beatrice.user, forum=forum, topic=topic, body="Brouillon de Béatrice")
    client.force_login(beatrice.user)

    with_draft = client.get(url).content.decode()
    french = client.get(url.replace("/en/", "/fr/", 1)).content.decode()

    assert "Your reply" in blank and "Brouillon de Béatrice" not in blank
    assert "Brouillon de Béatrice" in with_draft
    assert "Your reply" not in french and 'name="body"' in french
