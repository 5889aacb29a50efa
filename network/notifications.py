"""The platform's shared notifications: the apps post events for a person, the network shows and emails them.

An app registers, from its `AppConfig.ready()`, each kind of notification it posts and the scopes its
unsubscribe links name:

    register_notification_kind("forum_reply", label=_("Replies in topics you follow"),
                               visible_targets=lambda user, topic_ids: {...the ids she may still read...})
    register_unsubscribe_scope("topic", describe=lambda user, scope: _("the topic %s") % ...,
                               unsubscribe=lambda user, scope: ...stop following it...)

and posts with `notify(recipient, kind=..., event_key=..., title=..., url=...)`. `network` imports none of
the apps: the registries are how it asks them, at send time, whether the recipient may still read what a
notification points to (access may have been lost between the event and the email or digest).
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from network.choices import Delivery, NotificationEmailState
from network.members_area import forget_members_area
from network.models import DigestCursor, Notification, User
from network.services.templated_mail import site_address
from network.tasks_queue import queue_task

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
# Unsubscribe links keep working long after the email was sent (mail clients offer them from old messages).
UNSUBSCRIBE_MAX_AGE_SECONDS = 400 * 24 * 3600
ALL_SCOPE = "all"
DIGEST_BATCH = 500
DIGEST_DELIVERIES = (Delivery.DAILY, Delivery.WEEKLY)


@dataclass(frozen=True)
class NotificationKind:
    kind: str
    label: str
    visible_targets: Callable[[User, list[str]], set[str]]
    # Optional, for digests: {user id: visible ids} for many recipients at once, in a few queries.
    visible_targets_of_many: Callable[[list[User], dict[int, list[str]]], dict[int, set[str]]] | None = None


@dataclass(frozen=True)
class UnsubscribeScope:
    prefix: str
    describe: Callable[[User, str], str]
    unsubscribe: Callable[[User, str], None]
    # Optional, for digests: load what `describe` needs for many recipients and scopes in a few queries.
    prime: Callable[[list[User], set[str]], None] | None = None


_KINDS: dict[str, NotificationKind] = {}
_SCOPES: dict[str, UnsubscribeScope] = {}


class InvalidUnsubscribeToken(Exception):
    """The token of an unsubscribe link is forged, expired, or names a scope nobody registered."""


# --- registries ------------------------------------------------------------------------------------------------


def register_notification_kind(
    kind: str,
    *,
    label: str,
    visible_targets: Callable[[User, list[str]], set[str]],
    visible_targets_of_many: Callable[[list[User], dict[int, list[str]]], dict[int, set[str]]] | None = None,
) -> None:
    """Declare a kind of notification. `visible_targets(user, target_ids)` returns the subset of target_ids the
    user may still read; it is called when an email is sent. A digest run asks
    `visible_targets_of_many(users, {user id: target_ids})` once per batch of recipients when the kind gives
    one (set-based: a few queries for hundreds of recipients), and `visible_targets` per recipient otherwise."""
    _KINDS[kind] = NotificationKind(kind, label, visible_targets, visible_targets_of_many)


def register_unsubscribe_scope(
    prefix: str,
    *,
    describe: Callable[[User, str], str],
    unsubscribe: Callable[[User, str], None],
    prime: Callable[[list[User], set[str]], None] | None = None,
) -> None:
    """Declare the scopes "<prefix>:<id>" of unsubscribe links: `describe` names what the person stops receiving
    ("the forum Best practices"), `unsubscribe` stops it. A digest run calls `prime(users, scopes)` once per
    batch of recipients when given, so that `describe` then finds what it needs without a query each."""
    _SCOPES[prefix] = UnsubscribeScope(prefix, describe, unsubscribe, prime)


def get_notification_kind(kind: str) -> NotificationKind | None:
    return _KINDS.get(kind)


def get_unsubscribe_scope(scope: str) -> UnsubscribeScope | None:
    return _SCOPES.get(scope.split(":", 1)[0])


# --- posting and reading ---------------------------------------------------------------------------------------


def notify(
    recipient: User,
    *,
    kind: str,
    event_key: str,
    title: str,
    url: str,
    target_id: str = "",
    text: str = "",
    delivery: str = Delivery.IMMEDIATE,
    unsubscribe_scope: str = "",
    reply_to: str = "",
) -> Notification | None:
    """Tell `recipient` about an event, once: None when this event was already notified to her.

    IMMEDIATE queues its email when the transaction commits; DAILY and WEEKLY wait for the digest; NONE is
    shown on the site only. Forgets her cached members' area (its notifications section counts unread ones).
    """
    if kind not in _KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}: register it with register_notification_kind().")
    if delivery not in Delivery.values:
        raise ValueError(f"Unknown delivery {delivery!r}.")
    state = {
        Delivery.NONE: NotificationEmailState.NOT_NEEDED,
        Delivery.IMMEDIATE: NotificationEmailState.PENDING,
    }.get(delivery, NotificationEmailState.IN_DIGEST)
    try:
        # A savepoint: a duplicate event must not break the caller's transaction.
        with transaction.atomic():
            if delivery in DIGEST_DELIVERIES:
                _hold_digest_cursor(recipient.pk, delivery)
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                event_key=event_key,
                title=title[:300],
                text=text,
                url=url,
                target_id=str(target_id),
                unsubscribe_scope=unsubscribe_scope,
                reply_to=reply_to,
                delivery=delivery,
                email_state=state,
            )
    except IntegrityError:
        return None
    recipient.__dict__.pop("_unread_notifications", None)
    forget_members_area(recipient.pk)
    if delivery == Delivery.IMMEDIATE:
        queue_task("network.tasks.send_notification_email", notification.pk)
    return notification


def _hold_digest_cursor(recipient_id: int, delivery: str) -> None:
    """Lock her digest cursor (creating it) and mark it pending, before her notification gets its id: a
    digest run holding the same lock has then seen every id below what it records as sent."""
    from django.db import connection

    table = connection.ops.quote_name(DigestCursor._meta.db_table)
    with connection.cursor() as cursor:
        # ON CONFLICT … WHERE locks the row even when it is already pending (and then writes nothing).
        cursor.execute(
            f"INSERT INTO {table} (recipient_id, delivery, sent_through_id, has_pending) "  # noqa: S608 -- model table
            f"VALUES (%s, %s, 0, TRUE) ON CONFLICT (recipient_id, delivery) "
            f"DO UPDATE SET has_pending = TRUE WHERE NOT {table}.has_pending",
            [recipient_id, delivery],
        )


def unread_notification_count(user) -> int:
    """Her unread notifications; on a page the header already asked, read from the viewer query (no query)."""
    from network.permissions import _unwrap, load_viewer

    if not user.is_authenticated:
        return 0
    user = _unwrap(user)  # kept on the user itself, not on request.user's lazy wrapper
    if "_unread_notifications" not in user.__dict__:
        load_viewer(user)
    if "_unread_notifications" not in user.__dict__:
        user._unread_notifications = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return user._unread_notifications


def list_notifications(user):
    """Her notifications, newest first, for the notifications page."""
    return Notification.objects.filter(recipient=user).only(
        "pk", "title", "text", "url", "created_at", "read_at", "kind"
    )


@transaction.atomic
def mark_notifications_read(user, *, ids=None) -> int:
    """Mark her unread notifications read (all of them when `ids` is None); returns how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    changed = unread.update(read_at=timezone.now())
    user.__dict__.pop("_unread_notifications", None)
    if changed:
        forget_members_area(user.pk)
    return changed


@contextmanager
def notification_language(user):
    """Render what goes to `user` (emails) in her language: the one she last used the site in."""
    with translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
        yield


# --- unsubscribe links -----------------------------------------------------------------------------------------


def unsubscribe_token(user, scope: str) -> str:
    return signing.dumps({"u": user.pk, "s": scope}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[User, str]:
    """The person and scope of a valid token; raises InvalidUnsubscribeToken otherwise."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE_SECONDS)
        user_id, scope = int(data["u"]), str(data["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise InvalidUnsubscribeToken from error
    user = User.objects.filter(pk=user_id).first()
    if user is None or get_unsubscribe_scope(scope) is None:
        raise InvalidUnsubscribeToken
    return user, scope


def unsubscribe_url(user, scope: str) -> str:
    """An absolute link that stops the emails of `scope` for `user`, without signing in (signed, not stored)."""
    return site_address() + reverse("network:notification_unsubscribe", args=[unsubscribe_token(user, scope)])


def describe_unsubscribe_scope(user, scope: str) -> str:
    return str(get_unsubscribe_scope(scope).describe(user, scope))


def unsubscribe(user, scope: str) -> None:
    """Stop what `scope` sends to `user`, through the app that registered the scope."""
    get_unsubscribe_scope(scope).unsubscribe(user, scope)


def _pause_notification_emails(user, scope: str) -> None:
    User.objects.filter(pk=user.pk).update(notification_emails_paused=True)
    user.notification_emails_paused = True


register_unsubscribe_scope(
    ALL_SCOPE,
    describe=lambda user, scope: gettext_lazy("every notification email from the site"),
    unsubscribe=_pause_notification_emails,
)


def resume_notification_emails(user) -> None:
    User.objects.filter(pk=user.pk).update(notification_emails_paused=False)
    user.notification_emails_paused = False


# --- email -----------------------------------------------------------------------------------------------------


def _may_receive_email(user: User) -> bool:
    return user.is_active and bool(user.email) and not user.notification_emails_paused


def _visible_targets(user: User, kind: str, target_ids: list[str]) -> set[str]:
    """The target ids she may still read; an unknown kind (its app removed) reads nothing. Empty ids (a
    notification about no object in particular) are always visible."""
    visible = {target_id for target_id in target_ids if not target_id}
    asked = [target_id for target_id in target_ids if target_id]
    if asked:
        registered = _KINDS.get(kind)
        if registered is None:
            logger.warning("Notification kind %r is not registered: its notifications are not emailed.", kind)
        else:
            visible |= set(registered.visible_targets(user, asked)) & set(asked)
    return visible


def _headers(user: User, scope: str) -> dict[str, str]:
    if not scope:
        return {}
    # RFC 2369 and RFC 8058: mail clients offer "unsubscribe" and POST to the link without opening it.
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user, scope)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _item(user: User, notification: Notification, *, describe: bool = False) -> dict:
    """What an email says of one notification. `describe` names what its unsubscribe link stops: asked of the
    app for a single email only (a digest would ask once per notification)."""
    scope = notification.unsubscribe_scope if get_unsubscribe_scope(notification.unsubscribe_scope or "-") else ""
    return {
        "title": notification.title,
        "text": notification.text,
        "url": site_address() + notification.url,
        "unsubscribe_url": unsubscribe_url(user, scope) if scope else "",
        "unsubscribe_what": describe_unsubscribe_scope(user, scope) if scope and describe else "",
    }


def _send(user: User, template: str, context: dict, *, scope: str, reply_to: str = "") -> None:
    _message(user, template, context, scope=scope, reply_to=reply_to).send()


def _message(user: User, template: str, context: dict, *, scope: str, reply_to: str = "") -> EmailMessage:
    context = {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "notifications_url": site_address() + reverse("network:notifications"),
        "stop_all_url": unsubscribe_url(user, ALL_SCOPE),
        **context,
    }
    subject = " ".join(render_to_string(f"network/email/{template}_subject.txt", context).split())
    body = render_to_string(f"network/email/{template}_body.txt", context)
    return EmailMessage(
        subject, body, None, [user.email], reply_to=[reply_to] if reply_to else None, headers=_headers(user, scope)
    )


def send_notification_email(notification_id: int) -> bool:
    """Email one IMMEDIATE notification, at most once; False when nothing was sent.

    Claimed with a conditional UPDATE (pending → sent) in the transaction that stores the email, so a task run
    twice, or by two workers, sends once. Skipped (state "skipped") when the recipient may no longer read its
    target, paused her emails or has no active account.
    """
    notification = (
        Notification.objects.select_related("recipient")
        .filter(pk=notification_id, email_state=NotificationEmailState.PENDING, delivery=Delivery.IMMEDIATE)
        .first()
    )
    if notification is None:
        return False
    user = notification.recipient
    pending = Notification.objects.filter(pk=notification.pk, email_state=NotificationEmailState.PENDING)
    if not _may_receive_email(user) or notification.target_id not in _visible_targets(
        user, notification.kind, [notification.target_id]
    ):
        pending.update(email_state=NotificationEmailState.SKIPPED)
        return False
    with transaction.atomic():
        if not pending.update(email_state=NotificationEmailState.SENT, emailed_at=timezone.now()):
            return False
        with notification_language(user):
            _send(
                user,
                "notification",
                {"notification": _item(user, notification, describe=True), "user": user},
                scope=notification.unsubscribe_scope,
                reply_to=notification.reply_to,
            )
    return True


# A digest lists the newest of what waits (the rest is on the notifications page) and a few unsubscribe links.
DIGEST_ITEMS_SHOWN = 50
DIGEST_SCOPES_SHOWN = 10


def send_notification_digests(*, frequency: str, now: datetime | None = None) -> int:
    """Email each recipient one digest of her notifications of this delivery (DAILY or WEEKLY) created since
    her last digest, up to `now`. Returns the number of digests sent.

    Those whose target she may no longer read are left out. Set-based, by batches of DIGEST_BATCH
    recipients: their digest cursors locked, their notifications after the cursors read in one query (only
    what the access check needs), the access check once per kind for the whole batch
    (`visible_targets_of_many`), the listed items' text read for the newest DIGEST_ITEMS_SHOWN only, one
    email per recipient and one update of the cursors, in the transaction that stores the emails: a second
    run sends nothing again, and a run writes one row per recipient however many notifications waited.
    """
    if frequency not in DIGEST_DELIVERIES:
        raise ValueError(f"No digest for delivery {frequency!r}.")
    now = now or timezone.now()
    recipient_ids = list(
        DigestCursor.objects.filter(delivery=frequency, has_pending=True)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
    )
    site = site_address()
    sent = 0
    for start in range(0, len(recipient_ids), DIGEST_BATCH):
        sent += _send_digests(recipient_ids[start : start + DIGEST_BATCH], frequency, now, site)
    return sent


@dataclass
class _DigestRow:
    pk: int
    kind: str
    target_id: str
    unsubscribe_scope: str


def _visible_in_batch(users: list[User], rows_by_user: dict[int, list[_DigestRow]]) -> dict[int, dict[str, set]]:
    """{user id: {kind: the target ids she may still read}} for a batch of recipients."""
    asked: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for user in users:
        for row in rows_by_user[user.pk]:
            if row.target_id:
                asked[row.kind][user.pk].append(row.target_id)
    visible: dict[int, dict[str, set]] = {user.pk: defaultdict(set) for user in users}
    for kind, ids_by_user in asked.items():
        registered = _KINDS.get(kind)
        if registered is None:
            logger.warning("Notification kind %r is not registered: its notifications are not emailed.", kind)
            continue
        kind_users = [user for user in users if user.pk in ids_by_user]
        if registered.visible_targets_of_many is not None:
            answers = registered.visible_targets_of_many(kind_users, dict(ids_by_user))
        else:
            answers = {user.pk: registered.visible_targets(user, ids_by_user[user.pk]) for user in kind_users}
        for user in kind_users:
            visible[user.pk][kind] = set(answers.get(user.pk, ())) & set(ids_by_user[user.pk])
    return visible


DIGEST_TEXT_CHARACTERS = 300


def _digest_item(row: tuple, site: str) -> dict:
    title, text, url = row
    if len(text) > DIGEST_TEXT_CHARACTERS:
        text = text[: DIGEST_TEXT_CHARACTERS - 1].rstrip() + "…"
    return {"title": title, "text": text, "url": site + url}


def _prime_digest_scopes(users: list[User], listed_by_user: dict[int, list[_DigestRow]]) -> None:
    by_prefix: dict[str, tuple[list[User], set[str]]] = defaultdict(lambda: ([], set()))
    for user in users:
        prefixes = set()
        for row in listed_by_user.get(user.pk, ()):
            if row.unsubscribe_scope:
                prefix = row.unsubscribe_scope.split(":", 1)[0]
                by_prefix[prefix][1].add(row.unsubscribe_scope)
                prefixes.add(prefix)
        for prefix in prefixes:
            by_prefix[prefix][0].append(user)
    for prefix, (scope_users, scopes) in by_prefix.items():
        registered = _SCOPES.get(prefix)
        if registered is not None and registered.prime is not None:
            registered.prime(scope_users, scopes)


def _digest_scopes(user: User, listed: list) -> list[dict]:
    """One "stop emails like these" link per scope the digest's notifications name (a forum, a topic), not
    one per notification: a day of 500 posts gives a handful of links, signed once each."""
    scopes = sorted({row.unsubscribe_scope for row in listed if row.unsubscribe_scope})
    return [
        {"what": describe_unsubscribe_scope(user, scope), "url": unsubscribe_url(user, scope)}
        for scope in scopes
        if get_unsubscribe_scope(scope)
    ][:DIGEST_SCOPES_SHOWN]


def _read_digest_rows(cursors: dict[int, DigestCursor], frequency: str, now: datetime) -> dict[int, list[_DigestRow]]:
    """These recipients' notifications after their (locked) cursors, newest first: only the columns the
    access check and the unsubscribe links need, for what may be a million rows."""
    from django.db import connection

    def column(model, name: str) -> str:
        return connection.ops.quote_name(model._meta.get_field(name).column)

    notification = connection.ops.quote_name(Notification._meta.db_table)
    cursor_table = connection.ops.quote_name(DigestCursor._meta.db_table)
    fields = ("id", "recipient", "kind", "target_id", "unsubscribe_scope")
    sql = (
        f"SELECT {', '.join('n.' + column(Notification, name) for name in fields)} "  # noqa: S608 -- model columns
        f"FROM {notification} n JOIN {cursor_table} c ON c.recipient_id = n.{column(Notification, 'recipient')} "
        f"AND c.delivery = n.{column(Notification, 'delivery')} "
        f"WHERE c.delivery = %s AND c.id IN ({', '.join(['%s'] * len(cursors))}) "
        f"AND n.{column(Notification, 'id')} > c.sent_through_id AND n.{column(Notification, 'created_at')} <= %s"
    )
    with connection.cursor() as db:
        db.execute(sql, [frequency, *(cursor.pk for cursor in cursors.values()), now])
        rows = db.fetchall()
    rows.sort(key=lambda row: row[0], reverse=True)
    rows_by_user: dict[int, list[_DigestRow]] = defaultdict(list)
    for pk, recipient_id, *rest in rows:
        rows_by_user[recipient_id].append(_DigestRow(pk, *rest))
    return rows_by_user


def _advance_cursors(cursors: dict[int, DigestCursor]) -> None:
    """Move each cursor past what this run read (its newest row); still pending only when something newer
    than the run's `now` waits after it."""
    from django.db import connection

    for cursor in cursors.values():
        cursor.last_sent_at = timezone.now()
    DigestCursor.objects.bulk_update(list(cursors.values()), ["sent_through_id", "last_sent_at"])
    notification = connection.ops.quote_name(Notification._meta.db_table)
    table = connection.ops.quote_name(DigestCursor._meta.db_table)
    with connection.cursor() as db:
        db.execute(
            f"UPDATE {table} SET has_pending = EXISTS (SELECT 1 FROM {notification} n "  # noqa: S608 -- model tables
            f"WHERE n.recipient_id = {table}.recipient_id AND n.delivery = {table}.delivery "
            f"AND n.id > {table}.sent_through_id) "
            f"WHERE id IN ({', '.join(['%s'] * len(cursors))})",
            [cursor.pk for cursor in cursors.values()],
        )


def _send_digests(recipient_ids: list[int], frequency: str, now: datetime, site: str) -> int:
    with transaction.atomic():
        # The lock `notify` also takes, in the same order (by recipient): no deadlock, no id slipping past.
        cursors = {
            cursor.recipient_id: cursor
            for cursor in DigestCursor.objects.select_for_update()
            .filter(delivery=frequency, recipient_id__in=recipient_ids, has_pending=True)
            .order_by("recipient_id")
        }
        if not cursors:
            return 0
        rows_by_user = _read_digest_rows(cursors, frequency, now)
        for recipient_id, rows in rows_by_user.items():
            cursors[recipient_id].sent_through_id = rows[0].pk  # newest first
        users = list(User.objects.filter(pk__in=list(rows_by_user)).order_by("pk"))
        receiving = [user for user in users if _may_receive_email(user)]
        visible = _visible_in_batch(receiving, rows_by_user)
        listed_by_user: dict[int, list[_DigestRow]] = {}
        for user in receiving:
            readable = visible[user.pk]
            listed = [row for row in rows_by_user[user.pk] if not row.target_id or row.target_id in readable[row.kind]]
            if listed:
                listed_by_user[user.pk] = listed
        shown_ids = [row.pk for listed in listed_by_user.values() for row in listed[:DIGEST_ITEMS_SHOWN]]
        texts = {
            pk: (title, text, url)
            for pk, title, text, url in Notification.objects.filter(pk__in=shown_ids).values_list(
                "pk", "title", "text", "url"
            )
        }
        _prime_digest_scopes(users, listed_by_user)
        messages = []
        for user in users:
            listed = listed_by_user.get(user.pk)
            if not listed:
                continue
            with notification_language(user):
                messages.append(
                    _message(
                        user,
                        "notification_digest",
                        {
                            "items": [_digest_item(texts[row.pk], site) for row in listed[:DIGEST_ITEMS_SHOWN]],
                            "more": max(len(listed) - DIGEST_ITEMS_SHOWN, 0),
                            "scopes": _digest_scopes(user, listed),
                            "count": len(listed),
                            "weekly": frequency == Delivery.WEEKLY,
                            "user": user,
                        },
                        scope=ALL_SCOPE,
                    )
                )
        # One connection for the batch: the queued backend stores the emails in one insert.
        get_connection().send_messages(messages)
        _advance_cursors(cursors)
    return len(listed_by_user)
