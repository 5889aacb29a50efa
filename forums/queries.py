"""Reads for the forum pages: a constant number of queries per page, whatever the size of the forum."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.query import prefetch_related_objects
from django.utils import timezone

from forums import permissions
from forums.choices import FlagState
from forums.models import (
    Attachment,
    Draft,
    Flag,
    Forum,
    ForumProfile,
    ForumSuspension,
    Post,
    Reaction,
    Subscription,
    Topic,
    TopicReadState,
)
from network.models import Member, User

TOPICS_PER_PAGE = 30
POSTS_PER_PAGE = 20
LATEST_TOPICS = 30


@dataclass
class TopicRow:
    topic: Topic
    last_read: int | None  # None: never opened

    @property
    def is_new(self) -> bool:
        return self.last_read is None

    @property
    def unread(self) -> int:
        return 0 if self.last_read is None else max(self.topic.post_count - self.last_read, 0)

    @property
    def first_unread_number(self) -> int:
        return 1 if self.last_read is None else min(self.last_read + 1, self.topic.post_count)


def forum_tree(user: User) -> list[tuple[Forum, list[Forum]]]:
    """The forums she may read, top level first, each with its readable sub-forums (one query)."""
    forums = list(
        permissions.filter_forums_for_user(user, Forum.objects.all())
        .select_related("last_post__topic", "last_post__author")
        .order_by("position", "name")
    )
    by_id = {forum.pk: forum for forum in forums}
    children: dict[int, list[Forum]] = {}
    roots = []
    for forum in forums:
        if forum.parent_id in by_id:
            children.setdefault(forum.parent_id, []).append(forum)
        else:
            roots.append(forum)
    return [(forum, children.get(forum.pk, [])) for forum in roots]


def get_forum_for_user(user: User, slug: str) -> Forum | None:
    return permissions.filter_forums_for_user(user, Forum.objects.filter(slug=slug)).select_related("parent").first()


def _with_read_state(user: User, topics: QuerySet[Topic]) -> QuerySet[Topic]:
    """Her last read post number on each topic (`viewer_last_read`, None: never opened), in the same query."""
    if not user.is_authenticated:
        return topics
    state = TopicReadState.objects.filter(user_id=user.pk, topic=OuterRef("pk")).order_by("pk")
    return topics.annotate(viewer_last_read=Subquery(state.values("last_read_number")[:1]))


def _rows(user: User, topics: list[Topic]) -> list[TopicRow]:
    if topics and all(hasattr(topic, "viewer_last_read") for topic in topics):
        return [TopicRow(topic=topic, last_read=topic.viewer_last_read) for topic in topics]
    states = {}
    if user.is_authenticated and topics:
        states = dict(
            TopicReadState.objects.filter(user=user, topic__in=topics).values_list("topic_id", "last_read_number")
        )
    return [TopicRow(topic=topic, last_read=states.get(topic.pk)) for topic in topics]


# What a topic row shows (templates/forums/_topic_row.html), and nothing else: no post bodies, no passwords.
_TOPIC_FIELDS = (
    "id",
    "title",
    "forum_id",
    "author_id",
    "post_count",
    "last_post_id",
    "last_post_at",
    "is_pinned",
    "is_locked",
    "is_hidden",
    "is_held",
    "accepted_answer_id",
)
# The same through the ORM (the "latest" lists), with the last poster's name.
ROW_FIELDS = (
    *_TOPIC_FIELDS[1:],
    "last_post__author_id",
    "last_post__author__first_name",
    "last_post__author__last_name",
)


def _row_topics(topics: QuerySet[Topic]) -> QuerySet[Topic]:
    return topics.select_related("last_post__author").only(*ROW_FIELDS)


def _visible_topics() -> QuerySet[Topic]:
    # Matches the partial indexes on Topic: the lists members read never sort hidden or held topics.
    return Topic.objects.filter(is_hidden=False, is_held=False)


_TOPIC_ORDER = "t.is_pinned DESC, t.last_post_at DESC, t.id DESC"
# The page's ids first (an index scan, however deep the page), then only those rows are joined.
_TOPICS_SQL = (
    "SELECT {topic_fields}, lp.author_id, u.first_name, u.last_name, "  # noqa: S608
    "(SELECT r.last_read_number FROM {read_state} r WHERE r.topic_id = t.id AND r.user_id = %s ORDER BY r.id "
    "LIMIT 1), {total} "
    "FROM {topic} t LEFT JOIN {post} lp ON lp.id = t.last_post_id LEFT JOIN {user} u ON u.id = lp.author_id "
    "WHERE t.id IN (SELECT t.id FROM {topic} t WHERE {condition} ORDER BY {order} LIMIT %s OFFSET %s) "
    "ORDER BY {order}"
)


def forum_topics_page(user: User, forum: Forum, page_number) -> tuple[Page, list[TopicRow]]:
    """One page of a forum (she may read it: the caller checked), pinned first then by last activity, with
    her read state and the count in one query (SQL, as topic_posts_page and for the same reason). Moderators
    also see its hidden and held topics."""
    condition = "t.forum_id = %s"
    count_sql = f"SELECT count(*) FROM {_table(Topic)} t WHERE {{condition}}"  # noqa: S608
    if permissions.can_moderate_forum(user, forum):
        total, total_params = f"({count_sql.format(condition=condition)})", [forum.pk]
    else:
        # Matches the partial indexes on Topic: the lists members read never sort hidden or held topics.
        condition += " AND NOT t.is_hidden AND NOT t.is_held"
        # Those are the topics the forum's own counter counts (kept by every service that adds, hides, holds,
        # moves or merges a topic, and recounted by each moderator action): no count of thousands of rows on
        # each page. A page asked for past the counted end is still read, and one found empty counts them.
        total, total_params = "%s::integer", [forum.topic_count]
    sql = _TOPICS_SQL.format(
        total=total,
        topic_fields=", ".join(f"t.{name}" for name in _TOPIC_FIELDS),
        read_state=_table(TopicReadState),
        topic=_table(Topic),
        post=_table(Post),
        user=_table(User),
        condition=condition,
        order=_TOPIC_ORDER,
    )
    viewer = user.pk if user.is_authenticated else None
    rows, number, total = _sql_page(
        sql,
        [viewer, *total_params, forum.pk],
        (count_sql.format(condition=condition), [forum.pk]),
        page_number,
        TOPICS_PER_PAGE,
    )
    fields = len(_TOPIC_FIELDS)
    topics, page_rows = [], []
    for row in rows:
        topic = _instance(Topic, _TOPIC_FIELDS, row[:fields])
        author_id, first_name, last_name, last_read = row[fields : fields + 4]
        topic.forum = forum  # the one forum of this page: no join, no query
        last_post = None
        if topic.last_post_id is not None:
            last_post = _instance(Post, ("id", "author_id"), (topic.last_post_id, author_id))
            author = None
            if author_id is not None:
                author = _instance(User, ("id", "first_name", "last_name"), (author_id, first_name, last_name))
            Post.author.field.set_cached_value(last_post, author)
        Topic.last_post.field.set_cached_value(topic, last_post)
        topics.append(topic)
        page_rows.append(TopicRow(topic=topic, last_read=last_read))
    return Page(topics, number, Paginator(range(total), TOPICS_PER_PAGE)), page_rows


@dataclass
class ForumViewerState:
    """What a forum's page shows of her own: how she follows it, her topics waiting for a moderator."""

    delivery: str | None = None
    held: list[Topic] | None = None


_FORUM_VIEWER_SQL = (
    "SELECT "  # noqa: S608 -- table names from our models, values as parameters
    "(SELECT s.delivery FROM {subscription} s WHERE s.user_id = %s AND s.forum_id = %s AND s.topic_id IS NULL "
    "ORDER BY s.id LIMIT 1), "
    "EXISTS (SELECT 1 FROM {suspension} f WHERE f.user_id = %s AND f.lifted_at IS NULL AND f.ends_at > %s), "
    "EXISTS (SELECT 1 FROM {topic} t WHERE t.forum_id = %s AND t.author_id = %s AND t.is_held AND NOT t.is_hidden)"
)


def forum_viewer_state(user: User, forum: Forum) -> ForumViewerState:
    """forum_delivery, own_held_topics and whether she is suspended (permissions.active_suspension) in one
    query; her held topics are listed apart only when she has some."""
    if not user.is_authenticated:
        return ForumViewerState(held=[])
    sql = _FORUM_VIEWER_SQL.format(
        subscription=_table(Subscription), suspension=_table(ForumSuspension), topic=_table(Topic)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, forum.pk, user.pk, timezone.now(), forum.pk, user.pk])
        delivery, suspended, has_held = cursor.fetchone()
    if not suspended:
        permissions.remember_no_suspension(user)
    return ForumViewerState(delivery=delivery, held=own_held_topics(user, forum) if has_held else [])


def own_held_topics(user: User, forum: Forum) -> list[Topic]:
    """Her topics in this forum that wait for a moderator (shown to her above the list)."""
    if not user.is_authenticated or permissions.can_moderate_forum(user, forum):
        return []
    return list(Topic.objects.filter(forum=forum, author=user, is_held=True, is_hidden=False).order_by("-pk")[:10])


def latest_topics(user: User, limit: int = LATEST_TOPICS) -> list[TopicRow]:
    """The most recently active visible topics across every forum she may read."""
    forum_ids = permissions.readable_forum_ids(user)
    if not forum_ids:
        return []
    topics = list(
        _with_read_state(user, _row_topics(_visible_topics().filter(forum_id__in=forum_ids)))
        .select_related("forum")
        .only(*ROW_FIELDS, "forum__name", "forum__slug")
        .order_by("-last_post_at", "-pk")[:limit]
    )
    return _rows(user, topics)


def get_topic_for_user(user: User, pk: int) -> Topic | None:
    topic = Topic.objects.select_related("forum").filter(pk=pk).first()
    if topic is None or not permissions.can_read_topic(user, topic):
        return None
    return topic


def _instance(model, names: tuple[str, ...], values):
    """A model instance from these columns (the others deferred), as the ORM builds one: Model.from_db wants
    the values in the model's field order, whatever order the query read them in."""
    by_name = dict(zip(names, values, strict=True))
    order = [field.attname for field in model._meta.concrete_fields if field.attname in by_name]
    return model.from_db("default", order, [by_name[name] for name in order])


def _sql_page(sql: str, params: list, count: tuple[str, list], page_number, per_page: int) -> tuple[list, int, int]:
    """(rows, page number, total) of one page as Paginator.get_page picks it: a number that is not one gives
    the first page, one past the end the last; "last" asks for the last. `sql`'s last placeholders are the
    page's LIMIT %s OFFSET %s and its last column the total; `count` counts apart, for a page past the end only."""

    def fetch(number: int) -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, per_page, (number - 1) * per_page])
            return cursor.fetchall()

    wanted = str(page_number) if page_number is not None else "1"
    number = int(wanted) if wanted.isdigit() and 0 < int(wanted) < 10**9 else 1
    rows = [] if wanted == "last" else fetch(number)
    if rows:
        return rows, number, rows[0][-1]
    with connection.cursor() as cursor:
        cursor.execute(*count)
        total = cursor.fetchone()[0]
    number = max(1, -(-total // per_page))
    return (fetch(number) if total else []), number, total


_POST_FIELDS = (
    "id",
    "topic_id",
    "number",
    "author_id",
    "html",
    "created_at",
    "edited_at",
    "edit_count",
    "is_hidden",
    "is_held",
    "is_deleted",
    "helpful_count",
    "via_email",
)
_POSTS_SQL = (
    "SELECT {post_fields}, u.id, u.first_name, u.last_name, m.id, m.public_id, fp.id, fp.handle, "  # noqa: S608
    "EXISTS (SELECT 1 FROM {attachment} a WHERE a.post_id = p.id), "
    "EXISTS (SELECT 1 FROM {reaction} r WHERE r.post_id = p.id AND r.user_id = %s), "
    "(SELECT count(*) FROM {post} p WHERE {condition}) "
    "FROM {post} p LEFT JOIN {user} u ON u.id = p.author_id LEFT JOIN {member} m ON m.user_id = u.id "
    "LEFT JOIN {profile} fp ON fp.user_id = u.id "
    # The page's ids first, so the rows before it are not joined (the last page of a long topic).
    "WHERE p.id IN (SELECT p.id FROM {post} p WHERE {condition} ORDER BY p.number LIMIT %s OFFSET %s) "
    "ORDER BY p.number"
)


def topic_posts_page(user: User, topic: Topic, page_number) -> Page:
    """One page of a topic she may read (the caller checked): its posts with their authors' names, handles and
    member ids, whether each has files and whether she found it helpful (`viewer_found_helpful`), and the
    number of posts she may read, in one query. A page number past the end gives the last page (a second
    query), "last" asks for it; a third query loads the attachments, only when some post of the page has one.

    Written as SQL rather than through the ORM: this is the page members open most, and building the query
    and its four kinds of objects through the ORM cost more than the database's work."""
    condition = permissions.topic_posts_condition(user, topic)
    if condition is None:
        return Paginator([], POSTS_PER_PAGE).page(1)
    where, where_params = condition
    sql = _POSTS_SQL.format(
        post_fields=", ".join(f"p.{name}" for name in _POST_FIELDS),
        attachment=_table(Attachment),
        reaction=_table(Reaction),
        post=_table(Post),
        user=_table(User),
        member=_table(Member),
        profile=_table(ForumProfile),
        condition=where,
    )

    params = [user.pk if user.is_authenticated else None, *where_params, *where_params]
    count_sql = f"SELECT count(*) FROM {_table(Post)} p WHERE {where}"  # noqa: S608
    rows, number, total = _sql_page(sql, params, (count_sql, where_params), page_number, POSTS_PER_PAGE)
    paginator = Paginator(range(total), POSTS_PER_PAGE)
    posts = [_post_from_row(row) for row in rows]
    with_files = [post for post in posts if post.has_files]
    if with_files:
        prefetch_related_objects(with_files, "attachments")
    for post in posts:
        if not post.has_files:
            # As prefetch_related leaves it: post.attachments.all() is an empty list, no query.
            empty = post.attachments.all()
            empty._result_cache, empty._prefetch_done = [], True
            post._prefetched_objects_cache = {"attachments": empty}
    return Page(posts, number, paginator)


def _post_from_row(row) -> Post:
    """A Post of the topic page (body deferred) with its author, her member profile and forum profile, as the
    ORM's select_related would leave them: related objects are cached, absent ones cached as None."""
    fields = len(_POST_FIELDS)
    post = _instance(Post, _POST_FIELDS, row[:fields])
    user_id, first_name, last_name, member_id, public_id, profile_id, handle, has_files, helpful = row[
        fields : fields + 9
    ]
    post.has_files, post.viewer_found_helpful = bool(has_files), bool(helpful)
    if user_id is None:
        Post.author.field.set_cached_value(post, None)
        return post
    author = _instance(User, ("id", "first_name", "last_name"), (user_id, first_name, last_name))
    member = _instance(Member, ("id", "user_id", "public_id"), (member_id, user_id, public_id))
    profile = _instance(ForumProfile, ("id", "user_id", "handle"), (profile_id, user_id, handle))
    User.member.related.set_cached_value(author, member if member_id is not None else None)
    User.forum_profile.related.set_cached_value(author, profile if profile_id is not None else None)
    Post.author.field.set_cached_value(post, author)
    return post


def page_of_post_number(user: User, topic: Topic, number: int) -> int:
    before = permissions.filter_posts_for_user(user, Post.objects.filter(topic=topic, number__lt=number)).count()
    return before // POSTS_PER_PAGE + 1


@dataclass
class TopicViewerState:
    """What the topic page shows of her own: read state, whether she gets every reply, her draft."""

    last_read: int | None = None
    watch: str | None = None
    draft: Draft | None = None


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


_VIEWER_STATE_SQL = (
    "SELECT "  # noqa: S608 -- table names from our models, values as parameters
    f"(SELECT r.last_read_number FROM {_table(TopicReadState)} r WHERE r.user_id = %s AND r.topic_id = %s "
    "ORDER BY r.id LIMIT 1), "
    f"(SELECT s.delivery FROM {_table(Subscription)} s WHERE s.user_id = %s AND s.topic_id = %s "
    "AND s.forum_id IS NULL ORDER BY s.id LIMIT 1), "
    f"EXISTS (SELECT 1 FROM {_table(ForumSuspension)} f WHERE f.user_id = %s AND f.lifted_at IS NULL "
    "AND f.ends_at > %s), "
    f"(SELECT d.id FROM {_table(Draft)} d WHERE d.user_id = %s AND d.forum_id = %s AND d.topic_id = %s "
    "ORDER BY d.id LIMIT 1)"
)


def topic_viewer_state(user: User, topic: Topic) -> TopicViewerState:
    """read_state, topic_watch_state, get_draft and whether she is suspended (permissions.active_suspension),
    in one query; her draft and her suspension are loaded apart only when she has one."""
    if not user.is_authenticated:
        return TopicViewerState()
    with connection.cursor() as cursor:
        cursor.execute(
            _VIEWER_STATE_SQL,
            [user.pk, topic.pk, user.pk, topic.pk, user.pk, timezone.now(), user.pk, topic.forum_id, topic.pk],
        )
        last_read, watch, suspended, draft_id = cursor.fetchone()
    if not suspended:
        permissions.remember_no_suspension(user)
    draft = Draft.objects.filter(pk=draft_id).first() if draft_id is not None else None
    return TopicViewerState(last_read=last_read, watch=watch, draft=draft)


def read_state(user: User, topic: Topic) -> int | None:
    if not user.is_authenticated:
        return None
    return TopicReadState.objects.filter(user=user, topic=topic).values_list("last_read_number", flat=True).first()


def get_post_for_user(user: User, pk: int) -> Post | None:
    post = Post.objects.select_related("topic__forum", "author").filter(pk=pk).first()
    if post is None or not permissions.can_read_post(user, post):
        return None
    return post


def get_draft(user: User, *, forum: Forum, topic: Topic | None = None) -> Draft | None:
    if not user.is_authenticated:
        return None
    return Draft.objects.filter(user=user, forum=forum, topic=topic).first()


def member_posts_page(viewer: User, author: User, page_number) -> Page:
    """The posts of one member that the viewer may read, newest first."""
    posts = (
        permissions.filter_posts_for_user(viewer, Post.objects.filter(author=author))
        .select_related("topic__forum")
        .order_by("-created_at", "-pk")
    )
    return Paginator(posts, POSTS_PER_PAGE).get_page(page_number)


def moderation_queue(user: User) -> dict:
    """Open flags and held posts in the forums she moderates."""
    forum_ids = permissions.moderated_forum_ids(user)
    flags = (
        Flag.objects.filter(state=FlagState.OPEN, post__topic__forum_id__in=forum_ids)
        .select_related("post__topic__forum", "post__author", "reporter")
        .order_by("created_at")
    )
    held = (
        Post.objects.filter(is_held=True, is_hidden=False, is_deleted=False, topic__forum_id__in=forum_ids)
        .select_related("topic__forum", "author")
        .order_by("created_at")
    )
    return {"flags": list(flags[:200]), "held": list(held[:200])}


def count_moderation_queue(user: User) -> int:
    forum_ids = permissions.moderated_forum_ids(user)
    if not forum_ids:
        return 0
    return (
        Flag.objects.filter(state=FlagState.OPEN, post__topic__forum_id__in=forum_ids).values("post").distinct().count()
        + Post.objects.filter(is_held=True, is_hidden=False, is_deleted=False, topic__forum_id__in=forum_ids).count()
    )


def count_unread_topics(user: User) -> int:
    """Topics with replies she has not read, among those she has opened (a bounded count)."""
    if not permissions.readable_forum_ids(user):
        return 0
    topics = permissions.filter_topics_for_user(user, Topic.objects.all())
    return TopicReadState.objects.filter(
        user=user, topic__in=topics, topic__post_count__gt=F("last_read_number")
    ).count()


def mention_candidates(user: User, prefix: str, limit: int = 8) -> list[dict]:
    """Handles starting with `prefix` of members the writer may see (for the autocomplete)."""
    from forums.models import ForumProfile
    from network.models import Member
    from network.permissions import filter_members_for_user

    prefix = prefix.strip().lstrip("@").lower()
    if len(prefix) < 2 or not permissions.can_use_forums(user):
        return []
    visible = filter_members_for_user(user, Member.objects.all()).values("user_id")
    profiles = (
        ForumProfile.objects.filter(handle__startswith=prefix, user_id__in=visible)
        .select_related("user")
        .order_by("handle")[:limit]
    )
    return [{"handle": p.handle, "name": p.user.get_full_name()} for p in profiles]
