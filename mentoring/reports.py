"""The coordinators' reports: metadata about enrolments and pairs, never the pairs' private notes."""

from collections import Counter, defaultdict
from statistics import median

from django.db.models import Avg, Count, Q
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from campaigns.charts import data_table
from mentoring import matching, queries, services
from mentoring.choices import CloseReason, MentorshipState, Role
from mentoring.models import Enrolment, Feedback, Meeting, Mentorship, Programme

MATCHED_STATES = (MentorshipState.ACCEPTED, MentorshipState.ACTIVE, MentorshipState.CLOSED)
BAR_COLOUR = "#1d5f8a"


def bar_chart(*, chart_id: str, title: str, bars: list[tuple[str, float]], unit: str = "%") -> SafeString:
    """Horizontal bars with their values written out (the table beside it carries the same numbers)."""
    height = 30 * max(len(bars), 1) + 20
    top = max([value for _label, value in bars] + [1.0])
    rows = []
    for index, (label, value) in enumerate(bars):
        y = 10 + index * 30
        width = 300 * value / top
        rows.append((y + 15, label, 180, y, f"{width:.1f}", BAR_COLOUR, 186 + width, y + 15, f"{value:g}{unit}"))
    body = format_html_join(
        "",
        '<text x="0" y="{}" font-size="13">{}</text><rect x="{}" y="{}" width="{}" height="20" fill="{}"/>'
        '<text x="{}" y="{}" font-size="13">{}</text>',
        rows,
    )
    return format_html(
        '<svg id="{}" role="img" aria-labelledby="{}-title" viewBox="0 0 560 {}" width="100%" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title>{}</svg>',
        chart_id,
        chart_id,
        height,
        chart_id,
        title,
        body,
    )


def _share(matched: int, enrolled: int) -> float:
    return round(100 * matched / enrolled, 1) if enrolled else 0.0


def programme_stats(programme: Programme) -> dict:
    mentees = Enrolment.objects.filter(programme=programme, role=Role.MENTEE)
    mentors = Enrolment.objects.filter(programme=programme, role=Role.MENTOR)
    pairs = Mentorship.objects.filter(programme=programme)
    matched = pairs.filter(state__in=MATCHED_STATES)
    matched_mentees = matched.values("mentee_id").distinct().count()
    waits = [
        (decided - enrolled).total_seconds() / 86400
        for decided, enrolled in matched.values_list("decided_at", "mentee__created_at")
        if decided and enrolled
    ]
    started = matched.count()
    meetings = Meeting.objects.filter(mentorship__programme=programme, planned=False).count()
    closures = Counter(pairs.filter(state=MentorshipState.CLOSED).values_list("close_reason", flat=True))
    feedback = Feedback.objects.filter(mentorship__programme=programme).aggregate(avg=Avg("rating"), n=Count("pk"))
    return {
        "programme": programme,
        "mentors": mentors.count(),
        "mentees": mentees.count(),
        "match_rate": _share(matched_mentees, mentees.count()),
        "median_days_to_match": round(median(waits), 1) if waits else None,
        "active": pairs.filter(state__in=(MentorshipState.ACCEPTED, MentorshipState.ACTIVE)).count(),
        "pending": pairs.filter(state=MentorshipState.REQUESTED).count(),
        "meetings_per_pair": round(meetings / started, 1) if started else 0,
        "closures": [(CloseReason(reason).label, count) for reason, count in sorted(closures.items()) if reason],
        "satisfaction": round(feedback["avg"], 1) if feedback["avg"] is not None else None,
        "feedback_count": feedback["n"],
    }


def fairness() -> dict[str, list[tuple[str, int, int, float]]]:
    """Matched share of mentees by mission, region (country) and category: (group, enrolled, matched, %)."""
    rows = Enrolment.objects.filter(role=Role.MENTEE).annotate(
        matched=Count("as_mentee", filter=Q(as_mentee__state__in=MATCHED_STATES))
    )
    groups: dict[str, dict[str, list[int]]] = {
        "mission": defaultdict(lambda: [0, 0]),
        "region": defaultdict(lambda: [0, 0]),
        "category": defaultdict(lambda: [0, 0]),
    }
    for mission, country, category, matched in rows.values_list(
        "mission__acronym", "member__country", "member__category", "matched"
    ):
        for key, value in (("mission", mission), ("region", country), ("category", category)):
            cell = groups[key][value or "—"]
            cell[0] += 1
            cell[1] += 1 if matched else 0
    return {
        key: [
            (name, enrolled, matched, _share(matched, enrolled)) for name, (enrolled, matched) in sorted(values.items())
        ]
        for key, values in groups.items()
    }


def dashboard_context() -> dict:
    stats = [programme_stats(programme) for programme in queries.list_programmes()]
    fair = fairness()
    headers = [
        _("Programme"),
        _("Mentors"),
        _("Mentees"),
        _("Match rate (%)"),
        _("Days to match (median)"),
        _("Active pairs"),
        _("Meetings per pair"),
        _("Satisfaction (1–5)"),
    ]
    rows = [
        [
            s["programme"].title,
            s["mentors"],
            s["mentees"],
            s["match_rate"],
            "—" if s["median_days_to_match"] is None else s["median_days_to_match"],
            s["active"],
            s["meetings_per_pair"],
            "—" if s["satisfaction"] is None else s["satisfaction"],
        ]
        for s in stats
    ]
    fairness_tables = []
    for key, title in (("mission", _("By mission")), ("region", _("By country")), ("category", _("By category"))):
        fairness_tables.append(
            {
                "title": title,
                "chart": bar_chart(
                    chart_id=f"fairness-{key}",
                    title=_("Matched share of mentees, %(group)s") % {"group": title.lower()},
                    bars=[(name, share) for name, _e, _m, share in fair[key]],
                ),
                "table": data_table(
                    caption=title,
                    headers=[title, _("Mentees"), _("Matched"), _("Matched (%)")],
                    rows=[[name, enrolled, matched, share] for name, enrolled, matched, share in fair[key]],
                ),
            }
        )
    return {
        "stats": stats,
        "match_chart": bar_chart(
            chart_id="match-rate",
            title=_("Match rate by programme"),
            bars=[(s["programme"].title[:28], s["match_rate"]) for s in stats],
        ),
        "programme_table": data_table(caption=_("Programmes"), headers=headers, rows=rows),
        "fairness": fairness_tables,
        "closures": [(s["programme"], s["closures"]) for s in stats if s["closures"]],
    }


EXPORT_HEADERS = [
    "pair",
    "programme",
    "state",
    "source",
    "mentee_category",
    "mentee_mission",
    "mentee_country",
    "mentor_category",
    "score",
    "requested_at",
    "decided_at",
    "started_at",
    "closed_at",
    "close_reason",
    "meetings",
    "minutes",
    "ratings",
]


def export_rows():
    """The CSV export: one line per pair, metadata only (no names, no goals, no notes, no feedback text)."""
    yield EXPORT_HEADERS
    pairs = (
        Mentorship.objects.select_related("programme", "mentee__member", "mentee__mission", "mentor__member")
        .annotate(
            meeting_count=Count("meetings", filter=Q(meetings__planned=False), distinct=True),
        )
        .order_by("pk")
    )
    minutes = defaultdict(int)
    for mentorship_id, duration in Meeting.objects.filter(planned=False).values_list(
        "mentorship_id", "duration_minutes"
    ):
        minutes[mentorship_id] += duration
    ratings = defaultdict(list)
    for mentorship_id, rating in Feedback.objects.values_list("mentorship_id", "rating"):
        ratings[mentorship_id].append(str(rating))

    def when(value):
        return value.isoformat() if value else ""

    for pair in pairs:
        yield [
            pair.pk,
            pair.programme.slug,
            pair.state,
            pair.source,
            pair.mentee.member.category,
            pair.mentee.mission.acronym if pair.mentee.mission else pair.mentee.duty_station,
            str(pair.mentee.member.country.code or ""),
            pair.mentor.member.category,
            round(pair.score, 3),
            when(pair.requested_at),
            when(pair.decided_at),
            when(pair.started_at),
            when(pair.closed_at),
            pair.close_reason,
            pair.meeting_count,
            minutes[pair.pk],
            " ".join(ratings[pair.pk]),
        ]


def unmatched_rows(programme: Programme, run) -> list[tuple[Enrolment, list[str]]]:
    reasons = run.report.get("unmatched", {})
    enrolments = Enrolment.objects.filter(pk__in=[int(pk) for pk in reasons]).select_related("member__user")
    return [(e, reasons[str(e.pk)]) for e in enrolments.order_by("pk")]


def suggestion_rows(mentee: Enrolment) -> list[dict]:
    """Every mentor of the programme for one mentee: the eligible ones ranked with their explanation, then
    the excluded ones with why."""
    programme = mentee.programme
    mentors = queries.open_enrolments(programme, Role.MENTOR)
    scored = services._score(programme, Enrolment.objects.filter(pk=mentee.pk), mentors)
    by_id = {e.pk: e for e in mentors.select_related("member__user")}
    names = queries.topic_names()
    rows = []
    index = {p.id: j for j, p in enumerate(scored.mentors)}
    for suggestion in matching.ranked_suggestions(scored, 0):
        j = index[suggestion.mentor]
        rows.append(
            {
                "mentor": by_id[suggestion.mentor],
                "rank": suggestion.rank,
                "score": round(suggestion.score, 3),
                "why": matching.explanation_text(matching.explain_pair(scored, 0, j, topic_names=names)),
                "excluded": [],
            }
        )
    for j, person in enumerate(scored.mentors):
        if scored.excluded[0, j]:
            rows.append(
                {
                    "mentor": by_id[person.id],
                    "rank": None,
                    "score": None,
                    "why": "",
                    "excluded": matching.describe_reasons(int(scored.excluded[0, j])),
                }
            )
    return rows
