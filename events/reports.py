"""The organisers' reports: registrations, waiting lists and attendance per session, and participants by
country and category, as SVG charts with their data tables (campaigns/charts.py) and as CSV."""

from django.utils.translation import gettext as _
from django_countries import countries

from campaigns.charts import bar_chart, data_table
from events import queries
from network.choices import MemberCategory


def _rate(attended: int, registered: int) -> str:
    return f"{round(100 * attended / registered)} %" if registered else "–"


def _country_name(code: str) -> str:
    return str(countries.name(code)) if code else _("Not given")


def _category_name(value: str) -> str:
    return str(MemberCategory(value).label) if value in MemberCategory.values else _("Not given")


def report_context(*, since=None) -> dict:
    sessions = list(queries.report_rows(since=since))
    by_country = [(_country_name(code), count) for code, count in queries.participants_by("country", since=since)]
    by_category = [(_category_name(value), count) for value, count in queries.participants_by("category", since=since)]
    registered = sum(session.seats_taken for session in sessions)
    attended = sum(session.attended_count for session in sessions)
    return {
        "sessions": sessions,
        "totals": {
            "registered": registered,
            "waiting": sum(session.waiting for session in sessions),
            "attended": attended,
            "rate": _rate(attended, registered),
        },
        "country_chart": bar_chart(chart_id="by-country", title=_("Participants by country"), bars=by_country),
        "country_table": data_table(
            caption=_("Participants by country"),
            headers=[_("Country"), _("Participants")],
            rows=[(name, str(count)) for name, count in by_country],
        ),
        "category_chart": bar_chart(chart_id="by-category", title=_("Participants by category"), bars=by_category),
        "category_table": data_table(
            caption=_("Participants by category"),
            headers=[_("Category"), _("Participants")],
            rows=[(name, str(count)) for name, count in by_category],
        ),
    }


def _cell(value):
    """A text cell that a spreadsheet would read as a formula is quoted."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else value


def csv_rows(*, since=None):
    yield [
        _("Course or event"),
        _("Session"),
        _("Starts (UTC)"),
        _("Language"),
        _("Seats"),
        _("Registered"),
        _("Waiting list"),
        _("Attended"),
        _("Attendance rate"),
    ]
    for session in queries.report_rows(since=since):
        yield [
            _cell(session.page.title),
            _cell(session.label),
            session.starts_at.strftime("%Y-%m-%d %H:%M"),
            session.language,
            session.capacity,
            session.seats_taken,
            session.waiting,
            session.attended_count,
            _rate(session.attended_count, session.seats_taken),
        ]
