"""Forum set-up for tests: members at each access level, forums, topics and replies made through the services."""

import itertools

from forums import services
from forums.models import Forum
from network.choices import AccessLevel, MemberCategory, StaffRole, Visibility
from network.models import Member
from network.services import community
from tests.factories import MemberFactory
from tests.factories.staff import make_staff

SHARED_WITH_NETWORK = dict.fromkeys(Member.VISIBLE_FIELDS, Visibility.NETWORK)
_slugs = itertools.count(1)


def network_member(category=MemberCategory.ACTIVE, **kwargs) -> Member:
    kwargs.setdefault("visibility", SHARED_WITH_NETWORK)
    return MemberFactory(category=category, **kwargs)


def community_member(moderator=None, **kwargs) -> Member:
    """A network member whose Community of Practice request a moderator approved."""
    moderator = moderator or make_staff(StaffRole.MODERATOR)
    member = network_member(MemberCategory.CIVILIAN, **kwargs)
    access = community.request_community_access(member, actor=member.user, motivation="I train officers.")
    community.approve_community_request(access, actor=moderator)
    return member


def make_forum(name="Best practices", *, level=AccessLevel.COMMUNITY, **kwargs) -> Forum:
    kwargs.setdefault("slug", f"forum-{next(_slugs)}")
    return Forum.objects.create(name=name, access_level=level, **kwargs)


def start_topic(author, forum, title="Debriefing after a patrol", body="How do you debrief?"):
    return services.start_topic(author=getattr(author, "user", author), forum=forum, title=title, body=body)


def reply(author, topic, body="We use a checklist."):
    return services.reply_to_topic(author=getattr(author, "user", author), topic=topic, body=body)
