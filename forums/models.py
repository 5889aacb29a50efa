"""The Community of Practice forums: a tree of forums, their topics and numbered posts, and what each member
keeps of them (read state, drafts, subscriptions, reactions, flags).

Counters and last-post pointers are denormalised on forums and topics so that lists never count posts; the
services in forums/services.py keep them exact (a reply locks its topic's row).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from forums.choices import FlagReason, FlagState, ForumKind
from network.choices import AccessLevel, Delivery
from network.models.accounts import get_private_storage

FORUM_LEVELS = [(level.value, level.label) for level in AccessLevel if level >= AccessLevel.MEMBERS]


class Forum(models.Model):
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent forum")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ForumKind.choices, default=ForumKind.DISCUSSION)
    access_level = models.PositiveSmallIntegerField(
        _("open to"),
        choices=FORUM_LEVELS,
        default=AccessLevel.COMMUNITY,
        help_text=_("The lowest access level that may read and write here."),
    )
    is_restricted = models.BooleanField(
        _("restricted to granted people and groups"),
        default=False,
        help_text=_("Only people or groups granted “Can read forum” on this forum may open it (a working group)."),
    )
    hold_first_posts = models.BooleanField(
        _("hold first posts for review"),
        default=False,
        help_text=_("The first posts of a member new to the forums wait for a moderator before others see them."),
    )
    topic_count = models.PositiveIntegerField(default=0, editable=False)
    post_count = models.PositiveIntegerField(default=0, editable=False)
    last_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    last_post_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        permissions = [("read_forum", "Can read forum"), ("moderate_forum", "Can moderate forum")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_questions(self) -> bool:
        return self.kind == ForumKind.QUESTIONS


class Topic(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="topics", verbose_name=_("forum"))
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="forum_topics"
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    post_count = models.PositiveIntegerField(default=0)
    last_post = models.ForeignKey("Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_post_at = models.DateTimeField(null=True, blank=True, db_index=True)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    is_hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    # The first post waits for a moderator: the topic is seen only by its author and the moderators.
    is_held = models.BooleanField(_("waiting for review"), default=False)
    accepted_answer = models.ForeignKey("Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        indexes = [
            models.Index(fields=["forum", "-is_pinned", "-last_post_at"], name="forum_topic_list"),
            # What members read: the visible topics of a forum, and the latest across forums.
            models.Index(
                fields=["forum", "-is_pinned", "-last_post_at", "-id"],
                condition=models.Q(is_hidden=False, is_held=False),
                name="forum_visible_topic_list",
            ),
            models.Index(
                fields=["-last_post_at", "-id"],
                condition=models.Q(is_hidden=False, is_held=False),
                name="forum_latest_topics",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def reply_count(self) -> int:
        return max(self.post_count - 1, 0)


class Post(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="forum_posts"
    )
    body = models.TextField(_("text"))
    html = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    edit_count = models.PositiveIntegerField(default=0)
    is_hidden = models.BooleanField(default=False)
    is_held = models.BooleanField(default=False)
    is_deleted = models.BooleanField(default=False)
    helpful_count = models.PositiveIntegerField(default=0)
    via_email = models.BooleanField(default=False)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["topic", "number"], name="forum_post_number_unique")]
        indexes = [models.Index(fields=["author", "-created_at"], name="forum_posts_by_author")]

    def __str__(self) -> str:
        return f"{self.topic} #{self.number}"

    @property
    def is_visible(self) -> bool:
        """Shown to every reader (not hidden, held or deleted)."""
        return not (self.is_hidden or self.is_held or self.is_deleted)


class PostRevision(models.Model):
    """The text a post had before an edit; its author and the moderators may read the history."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.post} ({self.created_at:%Y-%m-%d %H:%M})"


class TopicReadState(models.Model):
    """How far a member has read a topic (as Discourse keeps it): unread counts cost no scan of posts."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="read_states")
    last_read_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="forum_read_state_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.topic_id} to #{self.last_read_number}"


class Draft(models.Model):
    """What a member is writing, kept on the server: a reply to a topic, or a new topic in a forum."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    forum = models.ForeignKey(Forum, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="forum_draft_reply_unique"),
            models.UniqueConstraint(
                fields=["user", "forum"], condition=models.Q(topic=None), name="forum_draft_topic_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"Draft {self.pk}"


class Reaction(models.Model):
    """A "helpful" mark from one member on one post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="forum_reaction_unique")]

    def __str__(self) -> str:
        return f"helpful: {self.post_id}"


class Flag(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=FlagReason.choices)
    details = models.TextField(_("details"), blank=True, max_length=2000)
    state = models.CharField(max_length=20, choices=FlagState.choices, default=FlagState.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"], condition=models.Q(state="open"), name="forum_flag_open_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.post}"


class ForumSuspension(models.Model):
    """A member may not post in the forums until `ends_at` (she still reads them)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_suspensions")
    ends_at = models.DateTimeField(_("until"))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} until {self.ends_at:%Y-%m-%d}"


class Subscription(models.Model):
    """How a member follows a forum (every post, digests, nothing) or watches a topic."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_subscriptions")
    forum = models.ForeignKey(Forum, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions")
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions")
    delivery = models.CharField(max_length=20, choices=Delivery.choices, default=Delivery.DAILY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "forum"], condition=models.Q(topic=None), name="forum_sub_unique"),
            models.UniqueConstraint(fields=["user", "topic"], condition=models.Q(forum=None), name="topic_sub_unique"),
            models.CheckConstraint(
                condition=models.Q(forum=None, topic__isnull=False) | models.Q(topic=None, forum__isnull=False),
                name="forum_sub_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.forum or self.topic} ({self.delivery})"


class ForumProfile(models.Model):
    """A member's forum handle (for @mentions) and standing: how many of her posts others can see (published
    at once or approved by a moderator); past a few, her posts are no longer held nor rate-limited."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_profile")
    handle = models.CharField(_("handle"), max_length=32, unique=True)
    approved_post_count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"@{self.handle}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # A random name: the file name a member chose may say more than she meant to.
    return f"forum-attachments/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to a post, kept in private storage and served only to those who may read the post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, storage=get_private_storage, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class InboundEmail(models.Model):
    """A reply received by email, kept by its Message-ID so that a message delivered twice (a mail server
    retrying, a provider's webhook sent again) is posted once. Written by forums/email_replies.py only."""

    # The Message-ID header, or a digest of the raw message when it has none (or one too long to index).
    message_id = models.CharField(max_length=255, unique=True)
    received_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=32, blank=True)
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("inbound email")
        verbose_name_plural = _("inbound emails")

    def __str__(self) -> str:
        return f"{self.message_id}: {self.outcome}"
