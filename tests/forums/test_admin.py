"""Forums in the Wagtail admin: community moderators create a working group's forum with its reading group;
the grant is audited and opens the forum to that group only."""

import pytest
from django.contrib.auth.models import Group

from forums import permissions
from forums.models import Forum
from network.choices import AccessLevel, AuditAction, StaffRole
from network.models import AuditEntry
from tests.factories.staff import make_staff

pytestmark = pytest.mark.django_db


def test_moderator_creates_a_working_group_forum_in_the_admin(client, site, alice, beatrice, moderator):
    group = Group.objects.create(name="Mission women's network")
    alice.user.groups.add(group)
    client.force_login(moderator)

    response = client.post(
        "/admin/forums/new/",
        {
            "name": "Women's network of the mission",
            "slug": "mission-network",
            "position": 3,
            "description": "",
            "kind": "discussion",
            "access_level": AccessLevel.COMMUNITY,
            "is_restricted": "on",
            "reader_groups": [group.pk],
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    forum = Forum.objects.get(slug="mission-network")
    assert permissions.can_read_forum(alice.user, forum)
    assert not permissions.can_read_forum(beatrice.user, forum)
    entry = AuditEntry.objects.get(action=AuditAction.OBJECT_PERMISSION_GRANTED, object_id=str(forum.pk))
    assert entry.actor == moderator and entry.details["group"] == group.name


def test_reading_groups_without_restriction_are_refused_with_a_message(client, site, moderator):
    group = Group.objects.create(name="Some group")
    client.force_login(moderator)

    response = client.post(
        "/admin/forums/new/",
        {
            "name": "Open",
            "slug": "open",
            "position": 0,
            "kind": "discussion",
            "access_level": AccessLevel.COMMUNITY,
            "reader_groups": [group.pk],
        },
    )

    assert response.status_code == 200
    assert "restricted" in response.content.decode()
    assert not Forum.objects.filter(slug="open").exists()


def test_editors_cannot_manage_forums(client, site):
    client.force_login(make_staff(StaffRole.EDITOR))

    response = client.get("/admin/forums/")

    assert response.status_code == 302 and response["Location"] == "/admin/"
