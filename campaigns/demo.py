"""Demo data for campaigns, called by `seed_demo`: the "Race to 2014" campaign and two statistic series.

Idempotent: everything is found by its natural key and created only when missing, so running the seed
again changes nothing. Figures come from ../shared/facts.md where it has them; everything else here is
DEMO DATA, invented to give the charts a realistic history, and said so in the comments and in the
"source" and "note" texts shown on the site.
"""

import datetime
from decimal import Decimal

from campaigns.choices import AdvocacyKind, CampaignVisibility, MetricSource, TargetUnit
from campaigns.models import (
    AdvocacyAction,
    Campaign,
    CampaignContributor,
    ProgressSnapshot,
    RecordedValue,
    StatisticPoint,
    StatisticSeries,
    Target,
)
from campaigns.progress import invalidate_target_progress
from network.choices import MemberCategory
from network.demo import register_demo
from network.models import Member

START = datetime.date(2010, 9, 1)
DEADLINE = datetime.date(2014, 12, 31)

# Facts: about 900 of 12,000 UN police were women in 2009 (7 %), 1,230 of 12,300 in 2017 (10 %).
# DEMO DATA: the years in between are a straight-line interpolation, not published figures.
WOMEN_SHARE = {2009: 7.0, 2010: 7.4, 2011: 7.8, 2012: 8.1, 2013: 8.5, 2014: 8.9, 2015: 9.3, 2016: 9.6, 2017: 10.0}
# Facts: 5,840 authorised UN police in 1995, over 15,000 in 2017.
AUTHORISED_STRENGTH = {1995: 5840, 2017: 15000}

# DEMO DATA: sign-ups ("likes") on the Global Effort page, launched in September 2010 at the IAWP
# conference; anchor points of an invented curve with a bump after each September conference.
SIGNUP_ANCHORS = [
    (datetime.date(2010, 9, 30), 310),
    (datetime.date(2010, 12, 31), 520),
    (datetime.date(2011, 6, 30), 760),
    (datetime.date(2011, 9, 30), 930),
    (datetime.date(2011, 12, 31), 1010),
    (datetime.date(2012, 6, 30), 1190),
    (datetime.date(2012, 9, 30), 1340),
    (datetime.date(2012, 12, 31), 1400),
    (datetime.date(2013, 6, 30), 1560),
    (datetime.date(2013, 9, 30), 1700),
    (datetime.date(2013, 12, 31), 1760),
    (datetime.date(2014, 6, 30), 1900),
    (datetime.date(2014, 9, 30), 2030),
    (datetime.date(2014, 12, 31), 2110),
]

# DEMO DATA: the network's membership from 35 founding members to about 1,900 at the deadline. The demo
# does not create two thousand accounts: these daily snapshots are written directly (as
# `backfill_snapshots` would from real members), and are the only synthetic snapshots in the project.
MEMBER_ANCHORS = [
    (datetime.date(2010, 9, 1), 35),
    (datetime.date(2010, 12, 31), 240),
    (datetime.date(2011, 6, 30), 470),
    (datetime.date(2011, 12, 31), 690),
    (datetime.date(2012, 6, 30), 900),
    (datetime.date(2012, 12, 31), 1100),
    (datetime.date(2013, 6, 30), 1290),
    (datetime.date(2013, 12, 31), 1480),
    (datetime.date(2014, 6, 30), 1700),
    (datetime.date(2014, 12, 31), 1912),
]
# DEMO DATA: shares used to split the synthetic member counts into categories and countries.
CATEGORY_SHARES = {
    MemberCategory.ACTIVE: 58,
    MemberCategory.CIVILIAN: 20,
    MemberCategory.HONORARY: 5,
    MemberCategory.OBSERVER: 17,
}
COUNTRY_SHARES = {
    "RW": 11, "SN": 10, "BD": 8, "EG": 6, "CM": 6, "NG": 6, "GH": 5, "KE": 5, "PH": 5, "IN": 4,
    "ZA": 4, "JO": 3, "NO": 3, "SE": 3, "CA": 3, "CL": 2, "FR": 2, "DE": 2, "": 12,
}  # fmt: skip

CONTRIBUTORS = ["amina.diallo@example.org", "grace.uwase@example.org", "ingrid.larsen@example.org"]

ADVOCACY = [
    # email, kind, title, place, country, days ago, people reached  (DEMO DATA)
    ("amina.diallo@example.org", AdvocacyKind.TALK, "Talk to cadets at the national police school", "Thiès", "SN", 45, 160),
    ("grace.uwase@example.org", AdvocacyKind.RECRUITMENT, "Recruitment day for UN deployment", "Kigali", "RW", 30, 320),
    ("maria.santos@example.org", AdvocacyKind.MEDIA, "Radio interview on women in peacekeeping", "Manila", "PH", 12, 5000),
    ("ingrid.larsen@example.org", AdvocacyKind.MEETING, "Meeting with the police directorate", "Oslo", "NO", 5, 12),
]  # fmt: skip


def interpolate(anchors: list[tuple[datetime.date, int]], day: datetime.date) -> float:
    for (left_day, left), (right_day, right) in zip(anchors, anchors[1:], strict=False):
        if left_day <= day <= right_day:
            share = (day - left_day).days / (right_day - left_day).days
            return left + share * (right - left)
    return anchors[-1][1] if day > anchors[-1][0] else anchors[0][1]


def apportion(total: int, shares: dict[str, int]) -> dict[str, int]:
    """Split `total` by whole numbers in proportion to `shares` (largest remainders), summing to `total`."""
    weight = sum(shares.values())
    exact = {key: total * share / weight for key, share in shares.items()}
    counts = {key: int(value) for key, value in exact.items()}
    for key in sorted(exact, key=lambda key: exact[key] - counts[key], reverse=True)[: total - sum(counts.values())]:
        counts[key] += 1
    return {key: count for key, count in counts.items() if count}


def month_ends(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    days, year, month = [], first.year, first.month
    while True:
        next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
        day = next_month - datetime.timedelta(days=1)
        if day > last:
            return days
        days.append(day)
        year, month = next_month.year, next_month.month


@register_demo(order=20)
def seed_campaigns_demo() -> None:
    women = _series(
        "Women among UN police (%)",
        TargetUnit.PERCENT,
        "UN Police Division (2009, 2017); the years between are interpolated for this demo",
        WOMEN_SHARE,
    )
    _in_french(
        women,
        title_fr="Part des femmes dans la police des Nations Unies (%)",
        source_fr="Division de la police des Nations Unies (2009, 2017) ; années intermédiaires interpolées pour la "
        "démonstration",
    )
    strength = _series(
        "Authorised UN police strength", TargetUnit.COUNT, "United Nations (1995, 2017)", AUTHORISED_STRENGTH
    )
    _in_french(
        strength, title_fr="Effectif autorisé de la police des Nations Unies", source_fr="Nations Unies (1995, 2017)"
    )
    campaign, _created = Campaign.objects.get_or_create(
        slug="race-to-2014",
        defaults={
            "title": "Race to 2014",
            "summary": (
                "The network's action campaign for the UN Global Effort: 2,014 members and 2,014 sign-ups by the end "
                "of 2014, while the share of women among UN police rises towards one in five."
            ),
            "start_date": START,
            "deadline": DEADLINE,
            "visibility": CampaignVisibility.PUBLIC,
        },
    )
    _in_french(
        campaign,
        title_fr="Objectif 2014",
        summary_fr=(
            "La campagne du réseau pour l'Effort mondial des Nations Unies : 2 014 membres et 2 014 inscriptions "
            "d'ici fin 2014, tandis que la part des femmes dans la police des Nations Unies progresse vers une sur "
            "cinq."
        ),
    )
    members = _target(campaign, 1, "2,014 members by 2014", MetricSource.COMPUTED, 2014, metric="members_total")
    signups = _target(campaign, 2, "2,014 sign-ups on the Global Effort page", MetricSource.RECORDED, 2014)
    share = _target(
        campaign,
        3,
        "20 % women among UN police",
        MetricSource.STATISTIC,
        20,
        baseline=7,
        unit=TargetUnit.PERCENT,
        statistic_series=women,
    )
    _in_french(members, title_fr="2 014 membres en 2014")
    _in_french(signups, title_fr="2 014 inscriptions sur la page de l'Effort mondial")
    _in_french(share, title_fr="20 % de femmes dans la police des Nations Unies")
    if not signups.recorded_values.exists():
        RecordedValue.objects.bulk_create(
            RecordedValue(
                target=signups,
                date=day,
                value=Decimal(round(interpolate(SIGNUP_ANCHORS, day))),
                note="Demo data: monthly count of page sign-ups",
            )
            for day in month_ends(START, DEADLINE)
        )
    if not members.snapshots.exists():
        _synthetic_member_snapshots(members)
    _advocacy_and_contributors(campaign)
    invalidate_target_progress([members.pk, signups.pk, share.pk])


def _in_french(obj, **texts: str) -> None:
    """Fill the French texts an editor has not written yet (a site seeded before they existed gets them too)."""
    missing = {name: text for name, text in texts.items() if not getattr(obj, name)}
    if missing:
        for name, text in missing.items():
            setattr(obj, name, text)
        obj.save(update_fields=list(missing))


def _series(title: str, unit: str, source: str, values: dict[int, float]) -> StatisticSeries:
    series, created = StatisticSeries.objects.get_or_create(title=title, defaults={"unit": unit, "source": source})
    if created:
        StatisticPoint.objects.bulk_create(
            StatisticPoint(series=series, year=year, value=Decimal(str(value)), sort_order=index)
            for index, (year, value) in enumerate(sorted(values.items()))
        )
    return series


def _target(campaign: Campaign, order: int, title: str, source: str, target_value, **fields) -> Target:
    target, _created = Target.objects.get_or_create(
        campaign=campaign,
        sort_order=order,
        defaults={"title": title, "source": source, "target_value": Decimal(target_value), **fields},
    )
    return target


def _synthetic_member_snapshots(target: Target) -> None:
    # DEMO DATA ONLY: synthetic history of the members target (see MEMBER_ANCHORS).
    rows = []
    day = START
    while day <= DEADLINE:
        total = round(interpolate(MEMBER_ANCHORS, day))
        breakdown = {
            "category": apportion(total, CATEGORY_SHARES),
            "country": apportion(total, COUNTRY_SHARES),
            "state": {"current": total},
        }
        rows.append(ProgressSnapshot(target=target, date=day, value=Decimal(total), breakdown=breakdown))
        day += datetime.timedelta(days=1)
    ProgressSnapshot.objects.bulk_create(rows, batch_size=500)


def _advocacy_and_contributors(campaign: Campaign) -> None:
    from django.utils import timezone

    by_email = {member.user.email: member for member in Member.objects.select_related("user").exclude(category="")}
    for email in CONTRIBUTORS:
        if email in by_email:
            CampaignContributor.objects.get_or_create(campaign=campaign, member=by_email[email])
    today = timezone.localdate()
    for email, kind, title, place, country, days_ago, people in ADVOCACY:
        member = by_email.get(email)
        if member is None or AdvocacyAction.objects.filter(member=member, title=title).exists():
            continue
        AdvocacyAction.objects.create(
            member=member,
            kind=kind,
            title=title,
            place=place,
            country=country,
            date=today - datetime.timedelta(days=days_ago),
            people_reached=people,
            description="Demo data.",
        )
