import datetime
from decimal import Decimal

import factory

from campaigns.choices import CampaignVisibility, MetricSource, TargetUnit
from campaigns.models import Campaign, RecordedValue, StatisticPoint, StatisticSeries, Target


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    title = factory.Sequence(lambda n: f"Campaign {n}")
    slug = factory.Sequence(lambda n: f"campaign-{n}")
    summary = "More women in UN policing."
    start_date = datetime.date(2010, 9, 1)
    deadline = datetime.date(2014, 12, 31)
    visibility = CampaignVisibility.PUBLIC


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    campaign = factory.SubFactory(CampaignFactory)
    title = factory.Sequence(lambda n: f"Target {n}")
    source = MetricSource.COMPUTED
    metric = "members_total"
    target_value = Decimal(2014)
    baseline = Decimal(0)
    unit = TargetUnit.COUNT


class RecordedValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecordedValue

    target = factory.SubFactory(TargetFactory, source=MetricSource.RECORDED, metric="")
    date = datetime.date(2012, 1, 31)
    value = Decimal(100)


class StatisticSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatisticSeries

    title = factory.Sequence(lambda n: f"Series {n}")
    unit = TargetUnit.PERCENT


def add_points(series: StatisticSeries, values: dict[int, float]) -> None:
    StatisticPoint.objects.bulk_create(
        StatisticPoint(series=series, year=year, value=Decimal(str(value)), sort_order=index)
        for index, (year, value) in enumerate(sorted(values.items()))
    )


def make_staff_user(role, *, mfa: bool = True):
    """A user in a staff role group, with an authenticator enrolled (staff need it before /admin/ opens)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group

    from tests.factories import MemberFactory

    member = MemberFactory()
    member.user.groups.add(Group.objects.get(name=role.value))
    if mfa:
        TOTP.activate(member.user, generate_totp_secret())
    return member.user
