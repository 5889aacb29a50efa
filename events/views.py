"""The events pages outside Wagtail's page tree: registering, "my registrations", calendars, certificates, and
the organisers' session, attendance and report pages. Every form works without JavaScript; a refused change
says why and keeps what the member typed."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from events import calendar, certificates, permissions, queries, services
from events.choices import RegistrationState
from events.forms import DecisionForm, MessageForm, RegistrationForm, ReportFilterForm
from events.models import Registration, Session
from network.files import extension_of, file_response
from network.timezones import user_time_zone


def organisers_only(view):
    @login_required
    @never_cache
    def wrapped(request, *args, **kwargs):
        if not permissions.is_organiser(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _visible_session(request, pk) -> Session:
    """A session whose page the person may see; "not found" otherwise (a restricted event's existence is not
    told)."""
    session = queries.visible_sessions(request.user).filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


def _back(request, session) -> str:
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return target
    return session.page.url or reverse("events:my_registrations")


@login_required
@never_cache
def register(request, pk):
    session = _visible_session(request, pk)
    form = RegistrationForm(request.POST, request.FILES) if request.method == "POST" else RegistrationForm()
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register(
                actor=request.user,
                session=session,
                join_waitlist=form.cleaned_data["join_waitlist"],
                nomination_note=form.cleaned_data["nomination_note"],
                letter=form.cleaned_data["letter"],
                letter_type=getattr(form, "letter_type", ""),
            )
        except services.SessionFull as error:
            return render(
                request, "events/register.html", {"session": session, "form": form, "full": True, "error": str(error)}
            )
        except services.RegistrationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(state)s.") % {"state": registration.get_state_display()})
            return redirect("events:my_registrations")
    return render(request, "events/register.html", {"session": session, "form": form, "full": False})


def _own_registration(request, pk) -> Registration:
    registration = Registration.objects.select_related("session__page").filter(pk=pk).first()
    if registration is None or (registration.user_id != request.user.pk and not permissions.is_organiser(request.user)):
        raise Http404
    return registration


def _act_on_own_registration(request, pk, service, success: str):
    """Call a registration service on her own registration, say how it went, back to her registrations."""
    registration = _own_registration(request, pk)
    try:
        service(actor=request.user, registration=registration)
    except services.RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("events:my_registrations")


@login_required
@require_POST
def cancel(request, pk):
    return _act_on_own_registration(request, pk, services.cancel_registration, _("Your registration is cancelled."))


@login_required
@require_POST
def confirm(request, pk):
    return _act_on_own_registration(request, pk, services.confirm_offer, _("Your seat is confirmed."))


@login_required
@never_cache
def my_registrations(request):
    """Her registrations: the sessions to come, soonest first, and the past ones, each list paged."""
    feed = services.calendar_feed_of(request.user)
    upcoming, past = queries.my_registration_pages(
        request.user, upcoming_page=request.GET.get("page"), past_page=request.GET.get("past")
    )
    return render(
        request,
        "events/my_registrations.html",
        {
            "upcoming": upcoming,
            "past": past,
            "upcoming_querystring": _querystring_without(request, "page"),
            "past_querystring": _querystring_without(request, "past"),
            "feed_url": calendar.feed_url(feed),
            "viewer_zone": user_time_zone(request.user),
            "now": timezone.now(),
        },
    )


def _querystring_without(request, name: str) -> str:
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()


@login_required
@require_POST
def reset_feed(request):
    services.reset_calendar_feed(actor=request.user)
    messages.success(request, _("Your calendar has a new address. The old one no longer works."))
    return redirect("events:my_registrations")


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def session_ics(request, pk):
    session = _visible_session(request, pk)
    registration = None
    if request.user.is_authenticated:
        registration = Registration.objects.filter(
            session=session, user=request.user, state=RegistrationState.REGISTERED
        ).first()
    show = permissions.can_see_online_link(request.user, registration)
    content = calendar.calendar_bytes(
        [session], name=session.page.title, with_link=lambda _session: show, request=request
    )
    return _ics_response(content, f"session-{session.pk}.ics")


@never_cache
def calendar_feed(request, token):
    """Her personal feed, for calendar apps that cannot sign in: the secret address is the key."""
    feed = calendar.read_feed_token(token)
    if feed is None:
        return render(request, "events/feed_invalid.html", status=404)
    content = calendar.feed_bytes(feed, request=request)
    return _ics_response(content, "my-events.ics")


@login_required
def letter(request, pk):
    registration = get_object_or_404(Registration, pk=pk)
    if not permissions.can_view_letter(request.user, registration) or not registration.letter:
        raise Http404
    extension = extension_of(registration.letter.name)
    return file_response(
        registration.letter, filename=f"letter-{registration.pk}.{extension}", extension=extension, public=False
    )


def _certificate_registration(request, pk) -> Registration:
    registration = Registration.objects.select_related("session__page", "user").filter(pk=pk).first()
    if registration is None or not permissions.can_view_certificate(request.user, registration):
        raise Http404
    return registration


@login_required
@never_cache
def certificate(request, pk):
    registration = _certificate_registration(request, pk)
    return render(
        request,
        "events/certificate.html",
        {
            "registration": registration,
            "dates": certificates.session_dates(registration.session),
            "qr": certificates.qr_svg_data_uri(registration.certificate_code),
            "verify_url": certificates.verification_url(registration.certificate_code),
        },
    )


@login_required
@never_cache
def certificate_pdf(request, pk):
    registration = _certificate_registration(request, pk)
    response = HttpResponse(certificates.certificate_pdf(registration), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{registration.certificate_code}.pdf"'
    return response


def verify_certificate(request, code):
    """Public: name, course and dates of a genuine certificate; nothing else."""
    registration = (
        Registration.objects.select_related("session__page", "user")
        .filter(certificate_code=code.strip().upper(), attended=True)
        .first()
        if len(code) <= 32
        else None
    )
    if registration is None:
        return render(request, "events/verify_invalid.html", {"code": code[:32]}, status=404)
    return render(
        request,
        "events/verify.html",
        {
            "name": registration.user.get_full_name() or _("A member of the network"),
            "course": registration.session.page.title,
            "dates": certificates.session_dates(registration.session),
        },
    )


# --- organisers -------------------------------------------------------------------------------------------


@organisers_only
def manage_index(request):
    return render(request, "events/manage_index.html", {"sessions": list(queries.organiser_sessions()[:200])})


@organisers_only
def manage_session(request, pk):
    session = get_object_or_404(queries.organiser_sessions(), pk=pk)
    return render(
        request,
        "events/manage_session.html",
        {
            "session": session,
            "registrations": list(queries.session_registrations(session)),
            "message_form": MessageForm(),
            "decision_form": DecisionForm(),
            "viewer_zone": user_time_zone(request.user),
        },
    )


@organisers_only
@require_POST
def decide(request, pk):
    registration = get_object_or_404(Registration, pk=pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.decide_registration(
            actor=request.user, registration=registration, approve=request.POST.get("decision") == "approve", note=note
        )
    except services.RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Decision saved; the member is told."))
    return redirect("events:manage_session", registration.session_id)


@organisers_only
@require_POST
def attendance(request, pk):
    session = get_object_or_404(Session, pk=pk)
    ids = [value for value in request.POST.getlist("attended") if value.isdigit()]
    count = services.mark_attendance(actor=request.user, session=session, attended_ids=ids)
    messages.success(request, _("Attendance saved: %(count)s attended.") % {"count": count})
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("events:manage_session", session.pk)


@organisers_only
def message(request, pk):
    session = get_object_or_404(queries.organiser_sessions(), pk=pk)
    form = MessageForm(request.POST) if request.method == "POST" else MessageForm()
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.message_registrants(
                actor=request.user,
                session=session,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except services.RegistrationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Message sent to %(count)s participants.") % {"count": sent})
            return redirect("events:manage_session", session.pk)
    return render(request, "events/message.html", {"session": session, "form": form})


@organisers_only
def reports(request):
    from events import reports as report_data

    form = ReportFilterForm(request.GET or None)
    since = form.cleaned_data["since"] if form.is_valid() else None
    return render(request, "events/reports.html", {"form": form, **report_data.report_context(since=since)})


@organisers_only
def reports_csv(request):
    from events import reports as report_data

    form = ReportFilterForm(request.GET or None)
    since = form.cleaned_data["since"] if form.is_valid() else None
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="event-report.csv"'
    writer = csv.writer(response)
    for row in report_data.csv_rows(since=since):
        writer.writerow(row)
    return response
