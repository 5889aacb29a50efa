"""Forget the cached calendar feeds whenever a session or an event page changes, however the change was made
(a publish in the Wagtail admin, a service, a shell): the feeds' cache key holds a version of them
(events/calendar.py). Changes to registrations need no signal: the key holds a fingerprint of her
registrations read on each request.

The version is replaced at once (so the same transaction, and the tests, see the change) and again once the
change is committed (so a request that read the old rows in between does not keep them under the new version).
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from events import calendar
from events.models import EventBasePage, EventsIndexPage, Session


def _forget_feeds() -> None:
    calendar.sessions_changed()
    transaction.on_commit(calendar.sessions_changed)


@receiver(post_save, sender=Session)
@receiver(post_delete, sender=Session)
def session_changed(sender, **kwargs):
    _forget_feeds()


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_delete)
def page_changed(sender, instance, **kwargs):
    if isinstance(instance, (EventBasePage, EventsIndexPage)):
        _forget_feeds()


@receiver(post_page_move)
@receiver(page_slug_changed)
def page_address_changed(sender, instance, **kwargs):
    # Any page above an event page may have moved: the feeds' page addresses are rebuilt (moves are rare).
    _forget_feeds()
