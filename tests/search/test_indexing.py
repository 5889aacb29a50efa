"""The registered sources and the on-commit refresh: what each source puts in the index, and for whom."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from cms.models import StandardPage
from forums import services as forum_services
from network.choices import AccessLevel, MemberCategory, Visibility
from network.models import Member
from search.access import viewer_for
from search.engines import database_engine
from search.engines.base import SearchQuery
from search.models import SearchIndexEntry
from tests.factories import MemberFactory, home_pages
from tests.factories.cms import publish_child
from tests.factories.forums import community_member, make_forum, network_member

pytestmark = pytest.mark.django_db


def found(user, text: str) -> set[str]:
    results = database_engine().search(SearchQuery(text=text, viewer=viewer_for(user)))
    return {hit.key for hit in results.hits}


def test_a_published_page_is_indexed_on_commit_and_leaves_when_unpublished(site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = publish_child(site["en"], StandardPage, title="Pilot report Kigali", intro="<p>Okapiword here</p>")
    entry = SearchIndexEntry.objects.get(key=f"page:{page.pk}")
    assert entry.language == "en" and entry.access_level == AccessLevel.PUBLIC
    assert "Okapiword" in entry.body and "<p>" not in entry.body
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert not SearchIndexEntry.objects.filter(key=f"page:{page.pk}").exists()


def test_nothing_is_indexed_before_the_commit(site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = publish_child(site["en"], StandardPage, title="Draft thoughts")
    assert not SearchIndexEntry.objects.filter(key=f"page:{page.pk}").exists()
    assert callbacks


def test_a_restricted_section_restricts_the_pages_below_it(site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        section = publish_child(site["en"], StandardPage, title="Inner circle", access_level=AccessLevel.NETWORK)
        child = publish_child(section, StandardPage, title="Capybaraword notes")
    assert SearchIndexEntry.objects.get(key=f"page:{child.pk}").access_level == AccessLevel.NETWORK
    observer = MemberFactory(category=MemberCategory.OBSERVER).user
    active = network_member().user
    assert found(observer, "capybaraword") == set()
    assert found(active, "capybaraword") == {f"page:{child.pk}"}


def test_member_profiles_carry_only_what_the_network_may_see(site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        member = network_member(
            rank="Secretrankword",
            police_service="Sharedservice Police",
            visibility={
                **dict.fromkeys(Member.VISIBLE_FIELDS, Visibility.NETWORK),
                "rank": Visibility.PRIVATE,
            },
        )
    entry = SearchIndexEntry.objects.get(key=f"member:{member.pk}")
    assert "Sharedservice" in entry.body and "Secretrankword" not in entry.body
    assert entry.access_level == AccessLevel.NETWORK
    viewer = network_member().user
    assert found(viewer, "sharedservice") == {f"member:{member.pk}"}
    assert found(viewer, "secretrankword") == set()
    assert found(MemberFactory(category=MemberCategory.OBSERVER).user, "sharedservice") == set()
    with django_capture_on_commit_callbacks(execute=True):
        member.visibility = {}
        member.save()
    assert not SearchIndexEntry.objects.filter(key=f"member:{member.pk}").exists()


def test_forum_topics_are_found_by_their_readers_only(site, django_capture_on_commit_callbacks):
    author = community_member()
    reader = community_member()
    outsider = network_member().user
    group = Group.objects.create(name="Recruitment group")
    grantee = community_member()
    grantee.user.groups.add(group)
    with django_capture_on_commit_callbacks(execute=True):
        forum = make_forum("Practice")
        closed = make_forum("Working group", is_restricted=True)
        forum_services.set_forum_groups(closed, perm="forums.read_forum", groups=[group], actor=None)
        open_topic = forum_services.start_topic(
            author=author.user, forum=forum, title="Pangolinword patrols", body="How?"
        )
        closed_topic = forum_services.start_topic(
            author=grantee.user, forum=closed, title="Geckoword plan", body="Our plan."
        )
        forum_services.reply_to_topic(author=reader.user, topic=open_topic, body="Lemurword in pairs.")
    assert found(reader.user, "lemurword") == {f"forum_topic:{open_topic.pk}"}
    assert found(outsider, "pangolinword") == set()
    assert found(reader.user, "geckoword") == set()
    assert found(grantee.user, "geckoword") == {f"forum_topic:{closed_topic.pk}"}


def test_staff_find_the_forum_topics_their_role_lets_them_read_and_no_others(site, django_capture_on_commit_callbacks):
    """A community moderator without a membership level reads every forum (forums/permissions.py): the search
    finds their topics for her. An editor or a membership officer without a level reads no forum: nothing."""
    from forums import permissions as forum_permissions
    from network.choices import StaffRole
    from tests.factories.staff import make_staff

    author = community_member()
    group = Group.objects.create(name="Working group members")
    author.user.groups.add(group)
    with django_capture_on_commit_callbacks(execute=True):
        forum = make_forum("Practice")
        closed = make_forum("Working group", is_restricted=True)
        forum_services.set_forum_groups(closed, perm="forums.read_forum", groups=[group], actor=None)
        open_topic = forum_services.start_topic(author=author.user, forum=forum, title="Tapirword", body="Hello")
        closed_topic = forum_services.start_topic(author=author.user, forum=closed, title="Tapirword", body="Hi")
    both = {f"forum_topic:{open_topic.pk}", f"forum_topic:{closed_topic.pk}"}

    moderator = make_staff(StaffRole.MODERATOR)
    assert viewer_for(moderator).level == AccessLevel.PUBLIC
    assert forum_permissions.readable_forum_ids(moderator) >= {forum.pk, closed.pk}
    assert found(moderator, "tapirword") == both
    results = database_engine().search(SearchQuery(text="tapirword", viewer=viewer_for(moderator)))
    assert results.total == 2 and dict(results.facets["kind"]) == {"forum_topic": 2}

    for role in (StaffRole.EDITOR, StaffRole.MEMBERSHIP_OFFICER, StaffRole.TRAINING_ORGANISER):
        staff = make_staff(role)
        assert not forum_permissions.readable_forum_ids(staff)
        assert found(staff, "tapirword") == set(), role
        results = database_engine().search(SearchQuery(text="tapirword", viewer=viewer_for(staff)))
        assert results.total == 0 and not any(results.facets.values())

    # Every reader's search agrees with what the forums let her open.
    outsider = network_member().user
    for user in (author.user, outsider, moderator):
        readable = forum_permissions.readable_forum_ids(user)
        expected = {f"forum_topic:{topic.pk}" for topic in (open_topic, closed_topic) if topic.forum_id in readable}
        assert found(user, "tapirword") == expected, user

    # The role taken away: the same person (a fresh request) finds nothing again.
    moderator.groups.clear()
    moderator = type(moderator).objects.get(pk=moderator.pk)
    assert found(moderator, "tapirword") == set()


def test_reindex_and_check(site, capsys, django_capture_on_commit_callbacks):
    page = publish_child(site["en"], StandardPage, title="Unindexed page")  # no commit hook ran: not indexed
    with pytest.raises(SystemExit) as stopped:
        call_command("search_check")
    assert stopped.value.code == 1
    out = capsys.readouterr().out
    assert "3 missing" in out and f"page:{page.pk}" in out  # the two home pages and this one
    call_command("search_reindex", verbosity=0)
    assert SearchIndexEntry.objects.filter(key=f"page:{page.pk}").exists()
    call_command("search_check")
    assert "The index matches its sources." in capsys.readouterr().out
    SearchIndexEntry.objects.filter(key=f"page:{page.pk}").update(title="Changed behind its back")
    SearchIndexEntry.objects.create(key="page:999999", kind="page", url="/x/", title="Ghost")
    with pytest.raises(SystemExit):
        call_command("search_check")
    out = capsys.readouterr().out
    assert "1 stale" in out and "1 extra" in out
    call_command("search_reindex", "--kind", "page", verbosity=0)
    call_command("search_check", "--kind", "page")
    assert not SearchIndexEntry.objects.filter(key="page:999999").exists()


def test_reindex_resumes_from_its_checkpoint(site):
    from search.models import ReindexCheckpoint

    first = publish_child(site["en"], StandardPage, title="First resumable")
    second = publish_child(site["en"], StandardPage, title="Second resumable")
    ReindexCheckpoint.objects.create(kind="page", last_pk=first.pk)
    call_command("search_reindex", "--kind", "page", "--resume", verbosity=0)
    keys = set(SearchIndexEntry.objects.filter(kind="page").values_list("key", flat=True))
    assert f"page:{second.pk}" in keys and f"page:{first.pk}" not in keys
    assert not ReindexCheckpoint.objects.filter(kind="page").exists()


@pytest.mark.django_db(transaction=True)
def test_reindex_with_parallel_jobs_writes_every_chunk_and_clears_its_checkpoint(monkeypatch):
    """Outside a transaction, `--jobs 2` writes chunks over two connections; the result is the same index."""
    from search.management.commands import search_reindex
    from search.models import ReindexCheckpoint

    monkeypatch.setattr(search_reindex, "CHUNK", 2)  # seven pages: four chunks, written by two writers
    homes = home_pages()
    pages = [publish_child(homes["en"], StandardPage, title=f"Parallel okapiword {number}") for number in range(5)]
    SearchIndexEntry.objects.all().delete()
    call_command("search_reindex", "--kind", "page", "--jobs", "2", verbosity=0)
    keys = set(SearchIndexEntry.objects.filter(kind="page").values_list("key", flat=True))
    assert {f"page:{page.pk}" for page in pages} <= keys
    assert not ReindexCheckpoint.objects.filter(kind="page").exists()
    call_command("search_check", "--kind", "page")


def test_reindex_refuses_zero_jobs(site):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--jobs"):
        call_command("search_reindex", "--jobs", "0", verbosity=0)
