"""The documents the site search indexes of the forums carry what it needs to filter per reader."""

import pytest
from django.contrib.auth.models import Group

from forums import services
from forums.search import topic_documents, visible_topic_ids
from tests.factories.forums import make_forum, reply, start_topic

pytestmark = pytest.mark.django_db


def test_topic_document_has_text_level_and_grants(alice, beatrice, moderator, forum):
    group_forum = make_forum("Working group", is_restricted=True)
    group = Group.objects.create(name="Group")
    alice.user.groups.add(group)
    services.set_forum_groups(group_forum, perm="forums.read_forum", groups=[group], actor=None)
    open_topic = start_topic(alice, forum, title="Radios", body="Use **channel 4**.")
    hidden_reply = reply(beatrice, open_topic, body="Hidden-Reply-Words")
    services.hide_post(hidden_reply, actor=moderator, reason="Spam")
    group_topic = start_topic(alice, group_forum, title="Group plan")

    documents = {doc["pk"]: doc for doc in topic_documents()}

    assert documents[open_topic.pk]["body"].strip() == "Use channel 4."
    assert documents[open_topic.pk]["access_level"] == forum.access_level
    assert documents[group_topic.pk]["is_restricted"] and documents[group_topic.pk]["read_groups"] == [group.pk]
    assert visible_topic_ids(beatrice.user, list(documents)) == {open_topic.pk}
    assert visible_topic_ids(alice.user, list(documents)) == {open_topic.pk, group_topic.pk}
