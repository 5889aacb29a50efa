"""Forget a target's cached progress whenever something it shows changes, however the change was made
(services, the Wagtail admin, a shell). Bulk writes send no signals: the services that use them
(snapshots, backfills, CSV imports) invalidate explicitly.

The cache is forgotten once the change is committed: forgetting it earlier would let a request in between
cache the old values again under the new version.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from campaigns import progress
from campaigns.models import (
    AdvocacyAction,
    Campaign,
    ProgressSnapshot,
    RecordedValue,
    StatisticPoint,
    StatisticSeries,
    Target,
)
from network.members_area import forget_members_area_of_members


def invalidate_target_progress(target_ids) -> None:
    target_ids = list(target_ids)
    transaction.on_commit(lambda: progress.invalidate_target_progress(target_ids))


@receiver(post_save, sender=ProgressSnapshot)
@receiver(post_delete, sender=ProgressSnapshot)
@receiver(post_save, sender=RecordedValue)
@receiver(post_delete, sender=RecordedValue)
def _value_changed(sender, instance, **kwargs):
    invalidate_target_progress([instance.target_id])


@receiver(post_save, sender=Target)
@receiver(post_delete, sender=Target)
def _target_changed(sender, instance, **kwargs):
    invalidate_target_progress([instance.pk])
    transaction.on_commit(progress.invalidate_campaigns)


@receiver(post_save, sender=Campaign)
@receiver(post_delete, sender=Campaign)
def _campaign_changed(sender, instance, **kwargs):
    invalidate_target_progress(Target.objects.filter(campaign_id=instance.pk).values_list("pk", flat=True))
    transaction.on_commit(progress.invalidate_campaigns)


@receiver(post_save, sender=StatisticPoint)
@receiver(post_delete, sender=StatisticPoint)
def _point_changed(sender, instance, **kwargs):
    _series_changed(StatisticSeries, StatisticSeries(pk=instance.series_id))


@receiver(post_save, sender=StatisticSeries)
def _series_changed(sender, instance, **kwargs):
    invalidate_target_progress(Target.objects.filter(statistic_series_id=instance.pk).values_list("pk", flat=True))


@receiver(post_save, sender=AdvocacyAction)
@receiver(post_delete, sender=AdvocacyAction)
def _advocacy_action_changed(sender, instance, **kwargs):
    # The members' area counts the member's logged actions.
    forget_members_area_of_members(instance.member_id)
