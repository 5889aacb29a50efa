"""The forums in Chromium: a member starts a topic mentioning a colleague, the colleague finds the notification,
replies and flags a post, and the forum's moderator hides it — every step by ordinary forms (no JavaScript
needed); the topic page passes axe-core."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from forums import services
from forums.models import Post
from tests.browser.test_accounts import log_in, log_out
from tests.browser.test_public_pages import AXE
from tests.conftest import require_service
from tests.factories import UserFactory
from tests.factories.forums import community_member, make_forum

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_topic_mention_notification_reply_flag_and_moderation(page: Page, url, demo_site):
    forum = make_forum("Good practice from the field", slug="good-practice")
    alice = community_member(user__first_name="Alice", user__last_name="Mbeki")
    beatrice = community_member(user__first_name="Beatrice", user__last_name="Kabore")
    carol = community_member(user__first_name="Carol", user__last_name="Moderates")
    group = Group.objects.create(name="Good practice moderators")
    carol.user.groups.add(group)
    services.set_forum_groups(forum, perm="forums.moderate_forum", groups=[group], actor=None)
    services.forum_profile(beatrice.user)

    # Alice starts a topic, previewing it first.
    log_in(page, url, alice.user.email, UserFactory.PASSWORD)
    page.goto(url("/en/forums/"))
    page.get_by_role("link", name="Good practice from the field").first.click()
    page.get_by_role("link", name="Start a topic").click()
    page.get_by_label("Title").fill("Market patrols with women officers")
    page.get_by_label("Your post").fill("Reports doubled after we sent **mixed patrols**. @beatrice.kabore, yours?")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".post-preview strong")).to_have_text("mixed patrols")
    page.get_by_role("button", name="Post the topic").click()
    expect(page.get_by_role("heading", name="Market patrols with women officers")).to_be_visible()
    log_out(page)

    # Beatrice finds the mention in her notifications and replies.
    log_in(page, url, beatrice.user.email, UserFactory.PASSWORD)
    page.goto(url("/en/members/notifications/"))
    page.get_by_role("link", name="Alice Mbeki mentioned you").click()
    expect(page.get_by_role("heading", name="Market patrols with women officers")).to_be_visible()
    page.get_by_label("Your reply").fill("Same here: the same pairs on the same routes built trust.")
    page.get_by_role("button", name="Post the reply").click()
    expect(page.get_by_text("the same pairs on the same routes built trust")).to_be_visible()

    # She flags Alice's post.
    page.locator("#post-1").get_by_role("link", name="Flag").click()
    page.get_by_label("Reveals private or operational information").check()
    page.get_by_label("Details (optional)").fill("Names the market")
    page.get_by_role("button", name="Send to the moderators").click()
    expect(page.get_by_text("The moderators will look at this post")).to_be_visible()
    log_out(page)

    # Carol, moderator of this forum, hides it with a reason.
    log_in(page, url, carol.user.email, UserFactory.PASSWORD)
    page.goto(url("/en/forums/moderation/"))
    expect(page.get_by_text("Names the market")).to_be_visible()
    page.get_by_label("Reason (kept in the audit log)").first.fill("Operational detail")
    page.get_by_role("button", name="Hide the post").click()
    expect(page.get_by_text("No open flags.")).to_be_visible()
    assert Post.objects.get(number=1, topic__forum=forum).is_hidden

    if AXE.exists():
        page.goto(url(f"/en/forums/topics/{Post.objects.get(number=1, topic__forum=forum).topic_id}/"))
        page.add_script_tag(path=str(AXE))
        results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [v["id"] for v in results["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == []
    else:
        require_service("axe-core", False, "npm ci --prefix tests/browser/node")
