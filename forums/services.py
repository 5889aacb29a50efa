"""Every write in the forums: typed verb–noun functions, each in one transaction, checking permission,
recording moderation in the audit log and queueing notifications once the transaction commits.

A reply locks its topic's row while it takes the next post number, so twenty simultaneous replies still
number 1..n without gaps and leave exact counters and last-post pointers.
"""

import re
import unicodedata
from datetime import datetime

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from forums import permissions
from forums.choices import FlagState
from forums.markup import MAX_POST_LENGTH, extract_mentions, render_markdown
from forums.models import (
    Attachment,
    Draft,
    Flag,
    Forum,
    ForumProfile,
    ForumSuspension,
    Post,
    PostRevision,
    Reaction,
    Subscription,
    Topic,
    TopicReadState,
)
from network.choices import AuditAction, Delivery
from network.models import User
from network.services.audit import record_audit
from network.tasks_queue import queue_task

MAX_TITLE_LENGTH = 200
MIN_TITLE_LENGTH = 5
# Members whose posts moderators approved this often are established: no holding and no rate limit.
ESTABLISHED_AFTER_POSTS = 3
# New members may post this many times per window (against spam bursts); established ones are not limited.
NEW_MEMBER_POSTS_PER_WINDOW = 5
RATE_WINDOW_SECONDS = 600

HANDLE_CLEAN = re.compile(r"[^a-z0-9._-]+")


class ForumError(ValidationError):
    """A refusal to show the writer, with what she typed kept by the view."""


# --- handles -------------------------------------------------------------------------------------------------


def forum_profile(user: User) -> ForumProfile:
    """Her forum profile, made on first use with a handle from her name (amina.diallo, amina.diallo2…)."""
    profile = ForumProfile.objects.filter(user=user).first()
    if profile is not None:
        return profile
    base = _handle_base(user)
    for attempt in range(1, 50):
        handle = base if attempt == 1 else f"{base[:28]}{attempt}"
        try:
            with transaction.atomic():
                return ForumProfile.objects.create(user=user, handle=handle)
        except IntegrityError:
            existing = ForumProfile.objects.filter(user=user).first()
            if existing is not None:
                return existing
    return ForumProfile.objects.create(user=user, handle=f"member{user.pk}")


def _handle_base(user: User) -> str:
    name = f"{user.first_name}.{user.last_name}".strip(".") or user.email.split("@", 1)[0]
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    handle = HANDLE_CLEAN.sub("", ascii_name.replace(" ", "."))
    handle = handle.strip("._-")[:30]
    return handle if len(handle) >= 2 else f"member{user.pk}"


def resolve_mentions(writer: User, forum: Forum, body: str) -> list[User]:
    """The members mentioned in `body`; refuses a handle the writer cannot see (no leak of who exists)."""
    from network.permissions import can_view_profile

    handles = extract_mentions(body)
    if not handles:
        return []
    profiles = {p.handle: p for p in ForumProfile.objects.filter(handle__in=handles).select_related("user__member")}
    people = []
    unknown = []
    for handle in handles:
        profile = profiles.get(handle)
        member = getattr(profile.user, "member", None) if profile else None
        if profile is None or member is None or not can_view_profile(writer, member):
            unknown.append(f"@{handle}")
        elif profile.user_id != writer.pk:
            people.append(profile.user)
    if unknown:
        raise ForumError(
            _("No member you can see has the handle %(handles)s. Check the spelling or write her name instead.")
            % {"handles": ", ".join(unknown)}
        )
    return people


def mention_urls(handles: list[str]) -> dict[str, str]:
    from django.urls import reverse

    rows = ForumProfile.objects.filter(handle__in=handles).values_list("handle", "user__member__public_id")
    return {handle: reverse("network:member_profile", args=[public_id]) for handle, public_id in rows if public_id}


def render_post_html(body: str) -> str:
    urls = mention_urls(extract_mentions(body))
    return render_markdown(body, mention_url=urls.get)


# --- checks --------------------------------------------------------------------------------------------------


def _clean_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ForumError(_("Write something before posting."))
    if len(body) > MAX_POST_LENGTH:
        raise ForumError(
            _("A post holds at most %(max)s characters; this one has %(count)s. Split it into two posts.")
            % {"max": f"{MAX_POST_LENGTH:,}", "count": f"{len(body):,}"}
        )
    return body


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if len(title) < MIN_TITLE_LENGTH:
        raise ForumError(
            _("Give the topic a title of at least %(min)s characters.") % {"min": MIN_TITLE_LENGTH}, code="title"
        )
    if len(title) > MAX_TITLE_LENGTH:
        raise ForumError(_("A title holds at most %(max)s characters.") % {"max": MAX_TITLE_LENGTH}, code="title")
    return title


def _check_can_post(user: User, forum: Forum, topic: Topic | None = None) -> None:
    refusal = permissions.posting_refusal(user, forum, topic)
    if refusal:
        raise ForumError(refusal)
    if topic is not None and not permissions.can_read_topic(user, topic):
        raise PermissionDenied


def _is_established(user: User, profile: ForumProfile) -> bool:
    return profile.approved_post_count >= ESTABLISHED_AFTER_POSTS or permissions.is_forum_moderator(user)


def _check_rate(user: User, profile: ForumProfile) -> None:
    if _is_established(user, profile):
        return
    key = f"forums:rate:{user.pk}:{int(timezone.now().timestamp()) // RATE_WINDOW_SECONDS}"
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    if count > NEW_MEMBER_POSTS_PER_WINDOW:
        raise ForumError(
            _("You have posted %(count)s times in a few minutes. Wait ten minutes, then post again: your text is kept.")
            % {"count": NEW_MEMBER_POSTS_PER_WINDOW}
        )


def _must_hold(user: User, forum: Forum, profile: ForumProfile) -> bool:
    return (
        forum.hold_first_posts
        and not _is_established(user, profile)
        and not permissions.can_moderate_forum(user, forum)
    )


# --- writing -------------------------------------------------------------------------------------------------


MAX_ATTACHMENTS = 5


def _check_attachments(files) -> list[tuple[object, str]]:
    from forums.attachments import check

    files = [upload for upload in files or [] if upload]
    if len(files) > MAX_ATTACHMENTS:
        raise ForumError(
            _("Attach at most %(count)s files to one post.") % {"count": MAX_ATTACHMENTS}, code="attachment"
        )
    checked = []
    for upload in files:
        try:
            checked.append((upload, check(upload).content_type))
        except ValueError as error:
            raise ForumError(str(error), code="attachment") from error
    return checked


def _attach(post: Post, checked) -> None:
    from forums.attachments import clean_name

    for upload, content_type in checked:
        attachment = Attachment(
            post=post, original_name=clean_name(upload.name), content_type=content_type, size=upload.size
        )
        attachment.file.save(attachment.original_name, upload, save=False)
        attachment.save()


@transaction.atomic
def start_topic(*, author: User, forum: Forum, title: str, body: str, attachments=()) -> Topic:
    """A new topic with its first post; watched by its author; subscribers notified on commit."""
    _check_can_post(author, forum)
    title, body = _clean_title(title), _clean_body(body)
    checked = _check_attachments(attachments)
    mentioned = resolve_mentions(author, forum, body)
    profile = forum_profile(author)
    _check_rate(author, profile)
    held = _must_hold(author, forum, profile)
    now = timezone.now()
    topic = Topic.objects.create(forum=forum, title=title, author=author, is_held=held, last_post_at=now)
    post = Post.objects.create(
        topic=topic, number=1, author=author, body=body, html=render_post_html(body), is_held=held
    )
    _attach(post, checked)
    Topic.objects.filter(pk=topic.pk).update(post_count=1, last_post=post)
    topic.post_count, topic.last_post = 1, post
    if not held:
        Forum.objects.filter(pk=forum.pk).update(topic_count=F("topic_count") + 1, post_count=F("post_count") + 1)
        _move_forum_last_post(forum.pk, post)
    Subscription.objects.get_or_create(user=author, topic=topic, forum=None, defaults={"delivery": Delivery.IMMEDIATE})
    TopicReadState.objects.update_or_create(user=author, topic=topic, defaults={"last_read_number": 1})
    Draft.objects.filter(user=author, forum=forum, topic=None).delete()
    if not held:
        _count_published(author)
        _queue_post_notifications(post, mentioned)
    return topic


@transaction.atomic
def reply_to_topic(*, author: User, topic: Topic, body: str, via_email: bool = False, attachments=()) -> Post:
    """The next numbered post of the topic, written by `author`."""
    topic = Topic.objects.select_for_update().select_related("forum").get(pk=topic.pk)
    forum = topic.forum
    _check_can_post(author, forum, topic)
    body = _clean_body(body)
    checked = _check_attachments(attachments)
    mentioned = resolve_mentions(author, forum, body)
    profile = forum_profile(author)
    _check_rate(author, profile)
    held = _must_hold(author, forum, profile)
    number = topic.post_count + 1
    post = Post.objects.create(
        topic=topic,
        number=number,
        author=author,
        body=body,
        html=render_post_html(body),
        is_held=held,
        via_email=via_email,
    )
    _attach(post, checked)
    if held:
        Topic.objects.filter(pk=topic.pk).update(post_count=number)
    else:
        Topic.objects.filter(pk=topic.pk).update(post_count=number, last_post=post, last_post_at=post.created_at)
        Forum.objects.filter(pk=forum.pk).update(post_count=F("post_count") + 1)
        _move_forum_last_post(forum.pk, post)
    TopicReadState.objects.update_or_create(user=author, topic=topic, defaults={"last_read_number": number})
    Draft.objects.filter(user=author, topic=topic).delete()
    if not held:
        _count_published(author)
        _queue_post_notifications(post, mentioned)
    return post


def _count_published(user: User) -> None:
    ForumProfile.objects.filter(user=user).update(approved_post_count=F("approved_post_count") + 1)


def _move_forum_last_post(forum_id: int, post: Post) -> None:
    Forum.objects.filter(pk=forum_id).filter(Q(last_post_at=None) | Q(last_post_at__lte=post.created_at)).update(
        last_post=post, last_post_at=post.created_at
    )


def _queue_post_notifications(post: Post, mentioned: list[User]) -> None:
    queue_task("forums.tasks.notify_about_post", post.pk, [user.pk for user in mentioned])


@transaction.atomic
def edit_post(post: Post, *, actor: User, body: str, reason: str = "") -> Post:
    """New text for a post; the old one is kept as a revision (shown to the author and moderators)."""
    post = Post.objects.select_for_update().select_related("topic__forum").get(pk=post.pk)
    if not permissions.can_edit_post(actor, post):
        raise PermissionDenied
    body = _clean_body(body)
    if body == post.body:
        return post
    resolve_mentions(actor, post.topic.forum, body)
    PostRevision.objects.create(post=post, body=post.body, edited_by=actor)
    post.body, post.html = body, render_post_html(body)
    post.edited_at, post.edit_count = timezone.now(), post.edit_count + 1
    post.save(update_fields=["body", "html", "edited_at", "edit_count"])
    if actor.pk != post.author_id:
        record_audit(AuditAction.FORUM_POST_EDITED, actor=actor, subject=post.author, target=post, reason=reason)
    return post


@transaction.atomic
def delete_post(post: Post, *, actor: User, reason: str = "") -> None:
    """Soft delete: the number stays, the text is gone for readers. A topic's first post cannot be deleted."""
    post = Post.objects.select_for_update().select_related("topic__forum").get(pk=post.pk)
    if not permissions.can_edit_post(actor, post):
        raise PermissionDenied
    if post.number == 1:
        raise ForumError(_("The first post of a topic cannot be deleted; ask a moderator to hide the topic."))
    post.is_deleted = True
    post.save(update_fields=["is_deleted"])
    _refresh_topic_last_post(post.topic)
    if actor.pk != post.author_id:
        record_audit(AuditAction.FORUM_POST_DELETED, actor=actor, subject=post.author, target=post, reason=reason)


def save_draft(
    *, user: User, forum: Forum, topic: Topic | None = None, title: str = "", body: str = ""
) -> Draft | None:
    """Keep what she is writing (autosave, or a post refused for a reason she can fix); empty text forgets it."""
    permissions.check_can_read_forum(user, forum)
    body = (body or "")[: MAX_POST_LENGTH * 2]
    title = (title or "")[:MAX_TITLE_LENGTH]
    if not body.strip() and not title.strip():
        Draft.objects.filter(user=user, forum=forum, topic=topic).delete()
        return None
    draft, _created = Draft.objects.update_or_create(
        user=user, forum=forum, topic=topic, defaults={"title": title, "body": body}
    )
    return draft


_UNKNOWN = object()


def mark_topic_read(*, user: User, topic: Topic, number: int, last_read=_UNKNOWN) -> None:
    """She has read up to post `number`: moves forward only (reading page 1 again keeps page 3 read).
    `last_read`, when the caller has just read her state (None: no row yet), spares the write when nothing
    moves, as when she reads a page again."""
    if not user.is_authenticated or number <= 0:
        return
    number = min(number, topic.post_count)
    if last_read is not _UNKNOWN and last_read is not None and last_read >= number:
        return
    updated = TopicReadState.objects.filter(user=user, topic=topic, last_read_number__lt=number).update(
        last_read_number=number
    )
    if not updated:
        try:
            with transaction.atomic():
                TopicReadState.objects.get_or_create(user=user, topic=topic, defaults={"last_read_number": number})
        except IntegrityError:
            pass


@transaction.atomic
def mark_helpful(post: Post, *, user: User, helpful: bool = True) -> None:
    if not permissions.can_read_post(user, post) or post.author_id == user.pk:
        raise PermissionDenied
    if helpful:
        _reaction, created = Reaction.objects.get_or_create(post=post, user=user)
        if created:
            Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") + 1)
    elif Reaction.objects.filter(post=post, user=user).delete()[0]:
        Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") - 1)


@transaction.atomic
def accept_answer(topic: Topic, post: Post | None, *, actor: User) -> None:
    """Mark the reply that answers a question (shown first as best practice); None clears it."""
    if not permissions.can_accept_answer(actor, topic):
        raise PermissionDenied
    if post is not None and (post.topic_id != topic.pk or post.number == 1 or not post.is_visible):
        raise ForumError(_("Only a visible reply in this topic can be its answer."))
    topic.accepted_answer = post
    topic.save(update_fields=["accepted_answer"])
    if actor.pk != topic.author_id:
        record_audit(
            AuditAction.FORUM_ANSWER_ACCEPTED, actor=actor, target=topic, details={"post": getattr(post, "pk", None)}
        )


# --- subscriptions -------------------------------------------------------------------------------------------


def set_forum_delivery(*, user: User, forum: Forum, delivery: str) -> Subscription:
    """How she follows a forum: every post by email, a daily or weekly digest, or only on the site."""
    permissions.check_can_read_forum(user, forum)
    if delivery not in Delivery.values:
        raise ForumError(_("Choose how you want to follow this forum."))
    subscription, _created = Subscription.objects.update_or_create(
        user=user, forum=forum, topic=None, defaults={"delivery": delivery}
    )
    return subscription


def set_topic_watch(*, user: User, topic: Topic, watching: bool) -> None:
    """Watching a topic: an email for every reply. Not watching: the forum's choice applies."""
    if not permissions.can_read_topic(user, topic):
        raise PermissionDenied
    if watching:
        Subscription.objects.update_or_create(
            user=user, topic=topic, forum=None, defaults={"delivery": Delivery.IMMEDIATE}
        )
    else:
        Subscription.objects.update_or_create(user=user, topic=topic, forum=None, defaults={"delivery": Delivery.NONE})


# --- flags and moderation ------------------------------------------------------------------------------------


@transaction.atomic
def flag_post(post: Post, *, reporter: User, reason: str, details: str = "") -> Flag:
    """Ask the moderators to look at a post; one open flag per member and post."""
    from forums.choices import FlagReason

    if not permissions.can_read_post(reporter, post):
        raise PermissionDenied
    if reason not in FlagReason.values:
        raise ForumError(_("Choose why this post needs a moderator."))
    existing = Flag.objects.filter(post=post, reporter=reporter, state=FlagState.OPEN).first()
    if existing is not None:
        return existing
    flag = Flag.objects.create(post=post, reporter=reporter, reason=reason, details=(details or "")[:2000])
    queue_task("forums.tasks.notify_moderators_of_flag", flag.pk)
    return flag


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ForumError(_("Give a reason: it goes into the audit log."))
    return reason


def _moderate_post(post: Post, actor: User) -> Post:
    post = Post.objects.select_for_update().select_related("topic__forum").get(pk=post.pk)
    permissions.check_can_moderate_forum(actor, post.topic.forum)
    return post


def _close_flags(post: Post, actor: User, state: str) -> None:
    Flag.objects.filter(post=post, state=FlagState.OPEN).update(
        state=state, resolved_at=timezone.now(), resolved_by=actor
    )


@transaction.atomic
def hide_post(post: Post, *, actor: User, reason: str) -> None:
    reason = _require_reason(reason)
    post = _moderate_post(post, actor)
    post.is_hidden = True
    post.save(update_fields=["is_hidden"])
    _close_flags(post, actor, FlagState.ACTED)
    _refresh_topic_last_post(post.topic)
    record_audit(AuditAction.FORUM_POST_HIDDEN, actor=actor, subject=post.author, target=post, reason=reason)


@transaction.atomic
def restore_post(post: Post, *, actor: User, reason: str) -> None:
    reason = _require_reason(reason)
    post = _moderate_post(post, actor)
    post.is_hidden = False
    post.save(update_fields=["is_hidden"])
    _refresh_topic_last_post(post.topic)
    record_audit(AuditAction.FORUM_POST_RESTORED, actor=actor, subject=post.author, target=post, reason=reason)


@transaction.atomic
def dismiss_flags(post: Post, *, actor: User, reason: str) -> None:
    reason = _require_reason(reason)
    post = _moderate_post(post, actor)
    _close_flags(post, actor, FlagState.DISMISSED)
    record_audit(AuditAction.FORUM_FLAG_RESOLVED, actor=actor, subject=post.author, target=post, reason=reason)


@transaction.atomic
def approve_post(post: Post, *, actor: User, reason: str = "") -> None:
    """Release a held post (and its topic when it is the first): others see it and are notified."""
    post = _moderate_post(post, actor)
    if not post.is_held:
        return
    post.is_held = False
    post.save(update_fields=["is_held"])
    topic = post.topic
    if post.number == 1 and topic.is_held:
        Topic.objects.filter(pk=topic.pk).update(is_held=False)
    _refresh_topic_last_post(topic)
    if post.author is not None:
        _count_published(post.author)
    record_audit(AuditAction.FORUM_POST_APPROVED, actor=actor, subject=post.author, target=post, reason=reason)
    mentioned = []
    if post.author is not None:
        try:
            mentioned = resolve_mentions(post.author, topic.forum, post.body)
        except ForumError:
            mentioned = []
    _queue_post_notifications(post, mentioned)


@transaction.atomic
def reject_post(post: Post, *, actor: User, reason: str) -> None:
    """A held post that will not be published: hidden, and its topic too when it is the first post."""
    reason = _require_reason(reason)
    post = _moderate_post(post, actor)
    post.is_hidden = True
    post.save(update_fields=["is_hidden"])
    if post.number == 1:
        Topic.objects.filter(pk=post.topic_id).update(is_hidden=True)
    record_audit(AuditAction.FORUM_POST_REJECTED, actor=actor, subject=post.author, target=post, reason=reason)


def _moderate_topic(topic: Topic, actor: User) -> Topic:
    topic = Topic.objects.select_for_update().select_related("forum").get(pk=topic.pk)
    permissions.check_can_moderate_forum(actor, topic.forum)
    return topic


@transaction.atomic
def lock_topic(topic: Topic, *, actor: User, reason: str, locked: bool = True) -> None:
    reason = _require_reason(reason)
    topic = _moderate_topic(topic, actor)
    topic.is_locked = locked
    topic.save(update_fields=["is_locked"])
    action = AuditAction.FORUM_TOPIC_LOCKED if locked else AuditAction.FORUM_TOPIC_UNLOCKED
    record_audit(action, actor=actor, target=topic, reason=reason)


@transaction.atomic
def pin_topic(topic: Topic, *, actor: User, reason: str, pinned: bool = True) -> None:
    reason = _require_reason(reason)
    topic = _moderate_topic(topic, actor)
    topic.is_pinned = pinned
    topic.save(update_fields=["is_pinned"])
    action = AuditAction.FORUM_TOPIC_PINNED if pinned else AuditAction.FORUM_TOPIC_UNPINNED
    record_audit(action, actor=actor, target=topic, reason=reason)


@transaction.atomic
def hide_topic(topic: Topic, *, actor: User, reason: str, hidden: bool = True) -> None:
    reason = _require_reason(reason)
    topic = _moderate_topic(topic, actor)
    topic.is_hidden = hidden
    topic.save(update_fields=["is_hidden"])
    _refresh_forum(topic.forum)
    action = AuditAction.FORUM_TOPIC_HIDDEN if hidden else AuditAction.FORUM_TOPIC_RESTORED
    record_audit(action, actor=actor, target=topic, reason=reason)


@transaction.atomic
def move_topic(topic: Topic, *, actor: User, forum: Forum, reason: str) -> None:
    """Into another forum the moderator also moderates; both forums' counters follow."""
    reason = _require_reason(reason)
    topic = _moderate_topic(topic, actor)
    permissions.check_can_moderate_forum(actor, forum)
    source = topic.forum
    if source.pk == forum.pk:
        raise ForumError(_("The topic is already in this forum."))
    topic.forum = forum
    topic.save(update_fields=["forum"])
    _refresh_forum(source)
    _refresh_forum(forum)
    record_audit(
        AuditAction.FORUM_TOPIC_MOVED,
        actor=actor,
        target=topic,
        reason=reason,
        details={"from": source.pk, "to": forum.pk},
    )


@transaction.atomic
def merge_topics(source: Topic, *, into: Topic, actor: User, reason: str) -> Topic:
    """The posts of `source` join `into` after its own, in their order; `source` is hidden."""
    reason = _require_reason(reason)
    if source.pk == into.pk:
        raise ForumError(_("Choose another topic to merge into."))
    first, second = sorted([source.pk, into.pk])
    locked = {t.pk: t for t in Topic.objects.select_for_update().select_related("forum").filter(pk__in=[first, second])}
    source, into = locked[source.pk], locked[into.pk]
    permissions.check_can_moderate_forum(actor, source.forum)
    permissions.check_can_moderate_forum(actor, into.forum)
    offset = into.post_count
    moved = list(Post.objects.filter(topic=source).order_by("number").values_list("pk", flat=True))
    # Two steps so the (topic, number) constraint never sees two posts with one number.
    for index, pk in enumerate(moved, start=1):
        Post.objects.filter(pk=pk).update(topic=into, number=offset + index + 1_000_000)
    Post.objects.filter(topic=into, number__gt=1_000_000).update(number=F("number") - 1_000_000)
    Topic.objects.filter(pk=into.pk).update(post_count=offset + len(moved))
    Topic.objects.filter(pk=source.pk).update(is_hidden=True, post_count=0, last_post=None, accepted_answer=None)
    TopicReadState.objects.filter(topic=source).delete()
    into.refresh_from_db()
    _refresh_topic_last_post(into)
    _refresh_forum(source.forum)
    _refresh_forum(into.forum)
    record_audit(
        AuditAction.FORUM_TOPICS_MERGED, actor=actor, target=into, reason=reason, details={"merged": source.pk}
    )
    return into


@transaction.atomic
def suspend_from_forums(user: User, *, actor: User, until: datetime, reason: str) -> ForumSuspension:
    """She may read but not post until `until`."""
    reason = _require_reason(reason)
    if not permissions.is_forum_moderator(actor):
        raise PermissionDenied
    if until <= timezone.now():
        raise ForumError(_("Choose an end in the future."))
    if user.pk == actor.pk:
        raise ForumError(_("You cannot suspend yourself."))
    suspension = ForumSuspension.objects.create(user=user, ends_at=until, reason=reason, created_by=actor)
    user.__dict__.pop("_forum_suspension", None)
    record_audit(
        AuditAction.FORUM_MEMBER_SUSPENDED,
        actor=actor,
        subject=user,
        target=suspension,
        reason=reason,
        details={"until": until.isoformat()},
    )
    return suspension


@transaction.atomic
def lift_forum_suspension(suspension: ForumSuspension, *, actor: User, reason: str) -> None:
    reason = _require_reason(reason)
    if not permissions.is_forum_moderator(actor):
        raise PermissionDenied
    ForumSuspension.objects.filter(pk=suspension.pk, lifted_at=None).update(lifted_at=timezone.now())
    record_audit(
        AuditAction.FORUM_SUSPENSION_LIFTED, actor=actor, subject=suspension.user, target=suspension, reason=reason
    )


@transaction.atomic
def set_forum_groups(forum: Forum, *, perm: str, groups, actor: User | None) -> None:
    """Exactly these groups hold `perm` (read or moderate) on the forum; each change audited."""
    from guardian.shortcuts import assign_perm, get_groups_with_perms, remove_perm

    if actor is not None and not permissions.is_forum_moderator(actor):
        raise PermissionDenied
    codename = perm.split(".", 1)[1]
    current = {g for g, perms in get_groups_with_perms(forum, attach_perms=True).items() if codename in perms}
    wanted = set(groups)
    for group in wanted - current:
        assign_perm(perm, group, forum)
    for group in current - wanted:
        remove_perm(perm, group, forum)
    for group, granted in [(g, True) for g in wanted - current] + [(g, False) for g in current - wanted]:
        record_audit(
            AuditAction.OBJECT_PERMISSION_GRANTED if granted else AuditAction.OBJECT_PERMISSION_REVOKED,
            actor=actor,
            target=forum,
            reason="Forum settings",
            details={"permission": perm, "object": str(forum), "group": group.name},
        )


# --- counters ------------------------------------------------------------------------------------------------


def _refresh_topic_last_post(topic: Topic) -> None:
    last = (
        Post.objects.filter(topic=topic, is_hidden=False, is_held=False, is_deleted=False).order_by("-number").first()
    )
    Topic.objects.filter(pk=topic.pk).update(last_post=last, last_post_at=last.created_at if last else topic.created_at)
    _refresh_forum(topic.forum)


def _refresh_forum(forum: Forum) -> None:
    """Recount a forum after a move, merge or hide (rare: moderators' actions)."""
    topics = Topic.objects.filter(forum=forum, is_hidden=False, is_held=False)
    last = (
        Post.objects.filter(topic__in=topics, is_hidden=False, is_held=False, is_deleted=False)
        .order_by("-created_at", "-pk")
        .first()
    )
    Forum.objects.filter(pk=forum.pk).update(
        topic_count=topics.count(),
        post_count=Post.objects.filter(topic__in=topics, is_hidden=False, is_held=False, is_deleted=False).count(),
        last_post=last,
        last_post_at=last.created_at if last else None,
    )
