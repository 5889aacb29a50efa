"""The .ics invite of a planned meeting (RFC 5545, through icalendar)."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from network.services.templated_mail import site_address


def meeting_invite(meeting) -> bytes:
    mentorship = meeting.mentorship
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.WAGTAIL_SITE_NAME}//mentoring//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"mentoring-meeting-{meeting.pk}@{settings.WAGTAIL_SITE_NAME.replace(' ', '-').lower()}")
    event.add("dtstamp", meeting.created_at.astimezone(datetime.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(datetime.UTC))
    event.add(
        "dtend", (meeting.starts_at + datetime.timedelta(minutes=meeting.duration_minutes)).astimezone(datetime.UTC)
    )
    event.add(
        "summary",
        _("Mentoring: %(mentee)s and %(mentor)s")
        % {"mentee": mentorship.mentee.member.display_name, "mentor": mentorship.mentor.member.display_name},
    )
    # The private notes never go into the invite: calendars are shared and synchronised.
    event.add("description", site_address() + reverse("mentoring:mentorship_detail", args=[mentorship.pk]))
    calendar.add_component(event)
    return calendar.to_ical()
