"""Celery tasks of the forums: take ids, safe to run twice (each notification has a unique event key)."""

from celery import shared_task

from forums import email_replies, notifications


@shared_task(name="forums.tasks.notify_about_post")
def notify_about_post(post_id: int, mentioned_ids: list[int] | None = None) -> int:
    return notifications.notify_about_post(post_id, mentioned_ids or [])


@shared_task(name="forums.tasks.notify_moderators_of_flag")
def notify_moderators_of_flag(flag_id: int) -> int:
    return notifications.notify_moderators_of_flag(flag_id)


@shared_task(name="forums.tasks.purge_inbound_emails")
def purge_inbound_emails() -> int:
    return email_replies.purge_inbound_emails()
