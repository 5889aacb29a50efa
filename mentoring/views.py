"""The mentoring pages. Every flow works without JavaScript; refused changes come back with a message and,
for forms, what was typed."""

import csv
import datetime
import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mentoring import calendar, links, matching, permissions, queries, reports, services
from mentoring.choices import MentorshipState, PairRuleKind, Role
from mentoring.forms import CloseForm, EnrolmentForm, FeedbackForm, GoalsForm, MeetingForm, PairForm, RequestForm
from mentoring.models import Enrolment, Meeting, Mentorship
from mentoring.services import MentoringError


def members_only(view):
    """Signed in and a network member; otherwise one page that says why (403)."""

    @login_required
    @never_cache
    def wrapped(request, *args, **kwargs):
        if not permissions.can_use_mentoring(request.user):
            return render(request, "mentoring/refused.html", status=403)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def coordinators_only(view):
    @login_required
    @never_cache
    def wrapped(request, *args, **kwargs):
        permissions.check_can_coordinate(request.user)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _programme_or_404(slug):
    programme = queries.get_programme(slug)
    if programme is None:
        raise Http404
    return programme


def _mentorship_or_404(request, pk) -> Mentorship:
    mentorship = queries.get_mentorship(pk)
    # Not the pair's: as if it did not exist (a forged id learns nothing).
    if mentorship is None or not permissions.can_view_mentorship(request.user, mentorship):
        raise Http404
    return mentorship


# --- members ---------------------------------------------------------------------------------------------------


@login_required
@never_cache
def index(request):
    if not permissions.can_use_mentoring(request.user):
        return render(request, "mentoring/refused.html")
    member = request.user.member
    enrolments = {(e.programme_id, e.role): e for e in queries.enrolments_of(member)}
    programmes = [
        (programme, enrolments.get((programme.pk, Role.MENTOR)), enrolments.get((programme.pk, Role.MENTEE)))
        for programme in queries.list_programmes()
    ]
    return render(
        request,
        "mentoring/index.html",
        {
            "programmes": programmes,
            "mentorships": queries.mentorships_of(request.user),
            "can_coordinate": permissions.can_coordinate(request.user),
        },
    )


@members_only
def programme_detail(request, slug):
    programme = _programme_or_404(slug)
    member = request.user.member
    return render(
        request,
        "mentoring/programme_detail.html",
        {
            "programme": programme,
            "mentor": queries.get_enrolment(member, programme, Role.MENTOR),
            "mentee": queries.get_enrolment(member, programme, Role.MENTEE),
            "is_open": programme.enrolment_is_open(),
        },
    )


@members_only
def enrol(request, slug, role):
    programme = _programme_or_404(slug)
    if role not in Role.values:
        raise Http404
    member = request.user.member
    instance = queries.get_enrolment(member, programme, role)
    if request.method == "POST":
        form = EnrolmentForm(request.POST, role=role, instance=instance)
        if form.is_valid():
            try:
                enrolment = services.enrol(actor=request.user, programme=programme, role=role, data=form.cleaned_data)
            except MentoringError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your enrolment is saved."))
                if role == Role.MENTEE and programme.matching_mode == "shortlist":
                    services.refresh_shortlist(enrolment)
                    return redirect("mentoring:shortlist", programme.slug)
                return redirect("mentoring:programme_detail", programme.slug)
    else:
        form = EnrolmentForm(role=role, instance=instance, member=member)
    return render(
        request,
        "mentoring/enrol.html",
        {"programme": programme, "form": form, "role": role, "is_open": programme.enrolment_is_open()},
        status=400 if request.method == "POST" else 200,
    )


def _shortlist_rows(mentee: Enrolment, entries: list[dict]):
    """The shortlist with each mentor and her explanation, rendered in the reader's language."""
    mentors = {
        e.pk: e
        for e in Enrolment.objects.filter(pk__in=[entry["mentor"] for entry in entries]).select_related(
            "member__user", "mission"
        )
    }
    programme = mentee.programme
    scored = services._score(
        programme, Enrolment.objects.filter(pk=mentee.pk), Enrolment.objects.filter(pk__in=list(mentors))
    )
    index = {p.id: j for j, p in enumerate(scored.mentors)}
    names = queries.topic_names()
    rows = []
    for rank, entry in enumerate(entries, start=1):
        mentor = mentors.get(entry["mentor"])
        if mentor is None or entry["mentor"] not in index:
            continue
        parts = matching.explain_pair(scored, 0, index[entry["mentor"]], topic_names=names)
        rows.append({"rank": rank, "mentor": mentor, "score": entry["score"], "parts": parts})
    return rows


@members_only
def shortlist(request, slug):
    programme = _programme_or_404(slug)
    mentee = queries.get_enrolment(request.user.member, programme, Role.MENTEE)
    if mentee is None:
        return redirect("mentoring:enrol", programme.slug, Role.MENTEE)
    current = Mentorship.objects.filter(mentee=mentee, state__in=queries.OPEN_STATES).first()
    entries = [] if current else services.refresh_shortlist(mentee)
    return render(
        request,
        "mentoring/shortlist.html",
        {
            "programme": programme,
            "mentee": mentee,
            "current": current,
            "rows": _shortlist_rows(mentee, entries) if entries else [],
            "form": RequestForm(),
        },
    )


@members_only
@require_POST
def request_mentor(request, slug):
    programme = _programme_or_404(slug)
    mentee = queries.get_enrolment(request.user.member, programme, Role.MENTEE)
    form = RequestForm(request.POST)
    if mentee is None or not form.is_valid():
        messages.error(request, _("Choose a mentor from your shortlist."))
        return redirect("mentoring:shortlist", programme.slug)
    mentor = Enrolment.objects.filter(pk=form.cleaned_data["mentor"], programme=programme, role=Role.MENTOR).first()
    if mentor is None:
        messages.error(request, _("This mentor is not enrolled in the programme."))
        return redirect("mentoring:shortlist", programme.slug)
    try:
        mentorship = services.request_mentor(
            actor=request.user, mentee=mentee, mentor=mentor, message=form.cleaned_data["message"]
        )
    except MentoringError as error:
        messages.error(request, str(error))
        return redirect("mentoring:shortlist", programme.slug)
    messages.success(
        request, _("Your request is sent. She has %(days)d days to answer.") % {"days": programme.accept_deadline_days}
    )
    return redirect("mentoring:mentorship_detail", mentorship.pk)


@members_only
def mentorship_detail(request, pk):
    mentorship = _mentorship_or_404(request, pk)
    can_read_notes = permissions.can_read_pair_notes(request.user, mentorship)
    return render(
        request,
        "mentoring/mentorship_detail.html",
        {
            "mentorship": mentorship,
            "is_mentor": permissions.is_mentor_of(request.user, mentorship),
            "is_mentee": permissions.is_mentee_of(request.user, mentorship),
            "meetings": queries.list_meetings(mentorship),
            "can_read_notes": can_read_notes,
            "goals_form": GoalsForm(initial={"goals": mentorship.goals}),
            "meeting_form": MeetingForm(initial={"date": timezone.localdate(), "duration_minutes": 60}),
            "close_form": CloseForm(),
            "feedback_form": FeedbackForm(),
            "has_given_feedback": mentorship.feedback.filter(author=request.user).exists(),
            "States": MentorshipState,
        },
    )


def _user_zone(request) -> zoneinfo.ZoneInfo:
    member = request.user.member
    enrolment = queries.enrolments_of(member).order_by("-updated_at").first()
    try:
        return zoneinfo.ZoneInfo(enrolment.time_zone if enrolment else "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


@members_only
@require_POST
def mentorship_action(request, pk, action):
    mentorship = _mentorship_or_404(request, pk)
    back = redirect("mentoring:mentorship_detail", mentorship.pk)
    try:
        if action == "accept":
            services.accept_request(mentorship, actor=request.user)
            messages.success(request, _("You accepted. Agree on your goals and plan your first meeting."))
        elif action == "decline":
            services.decline_request(mentorship, actor=request.user)
            messages.success(request, _("You declined the request."))
        elif action == "goals":
            form = GoalsForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Write down the goals you agreed on."))
                return back
            services.set_goals(mentorship, actor=request.user, goals=form.cleaned_data["goals"])
            messages.success(request, _("Goals saved."))
        elif action == "meeting":
            form = MeetingForm(request.POST)
            if not form.is_valid():
                for errors in form.errors.values():
                    messages.error(request, " ".join(errors))
                return back
            data = form.cleaned_data
            starts_at = datetime.datetime.combine(data["date"], data["time"], _user_zone(request))
            services.log_meeting(
                mentorship,
                actor=request.user,
                starts_at=starts_at,
                duration_minutes=data["duration_minutes"],
                notes=data["notes"],
                planned=data["planned"],
            )
            messages.success(request, _("Meeting saved."))
        elif action == "close":
            form = CloseForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose a reason for closing."))
                return back
            services.close_mentorship(mentorship, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The mentorship is closed. Please give your feedback."))
        elif action == "feedback":
            form = FeedbackForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose a rating from 1 to 5."))
                return back
            services.give_feedback(
                mentorship, actor=request.user, rating=form.cleaned_data["rating"], text=form.cleaned_data["text"]
            )
            messages.success(request, _("Thank you for your feedback."))
        elif action == "rematch":
            services.request_rematch(mentorship, actor=request.user)
            return redirect("mentoring:shortlist", mentorship.programme.slug)
        else:
            raise Http404
    except MentoringError as error:
        messages.error(request, str(error))
    except PermissionDenied:
        messages.error(request, _("Only the other side of the pair can do this."))
    return back


@members_only
def meeting_invite(request, pk, meeting_pk):
    mentorship = _mentorship_or_404(request, pk)
    meeting = Meeting.objects.filter(pk=meeting_pk, mentorship=mentorship).first()
    if meeting is None:
        raise Http404
    response = HttpResponse(calendar.meeting_invite(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mentoring-meeting-{meeting.pk}.ics"'
    return response


@never_cache
def email_link(request, token):
    """A one-click link from an email: GET shows what it will do and a button; only the POST does it."""
    try:
        link = links.read_token(token)
    except links.InvalidLink:
        return render(request, "mentoring/link_invalid.html", status=400)
    mentorship = queries.get_mentorship(link.mentorship_id)
    if mentorship is None:
        return render(request, "mentoring/link_invalid.html", status=400)
    if request.method == "POST":
        try:
            services.use_link(link)
        except (MentoringError, PermissionDenied) as error:
            message = str(error) if isinstance(error, MentoringError) else _("This link is not valid.")
            return render(request, "mentoring/link_invalid.html", {"message": message}, status=400)
        return render(request, "mentoring/link_done.html", {"mentorship": mentorship, "action": link.action})
    return render(request, "mentoring/link_confirm.html", {"mentorship": mentorship, "action": link.action})


# --- coordinators ----------------------------------------------------------------------------------------------


@coordinators_only
def dashboard(request):
    return render(request, "mentoring/dashboard.html", reports.dashboard_context())


@coordinators_only
def export_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mentoring-pairs.csv"'
    writer = csv.writer(response)
    for row in reports.export_rows():
        writer.writerow(row)
    return response


@coordinators_only
def coordinate_programme(request, slug):
    programme = _programme_or_404(slug)
    run = queries.latest_run(programme)
    return render(
        request,
        "mentoring/coordinate.html",
        {
            "programme": programme,
            "enrolments": queries.list_enrolments_for_coordinators(programme),
            "run": run,
            "proposals": queries.run_proposals(run) if run else [],
            "rules": queries.pair_rules(programme),
            "unmatched": reports.unmatched_rows(programme, run) if run else [],
        },
    )


@coordinators_only
def manual_suggestions(request, slug, enrolment_pk):
    programme = _programme_or_404(slug)
    mentee = Enrolment.objects.filter(pk=enrolment_pk, programme=programme, role=Role.MENTEE).first()
    if mentee is None:
        raise Http404
    return render(
        request,
        "mentoring/manual.html",
        {"programme": programme, "mentee": mentee, "rows": reports.suggestion_rows(mentee)},
    )


@coordinators_only
@require_POST
def coordinate_action(request, slug, action):
    programme = _programme_or_404(slug)
    back = redirect("mentoring:coordinate_programme", programme.slug)
    try:
        if action == "run":
            run = services.run_matching(programme, actor=request.user)
            messages.success(
                request,
                _("Run staged: %(matched)d of %(enrolled)d mentees matched.") % run.report,
            )
        elif action == "publish":
            run = queries.latest_run(programme)
            if run is None:
                raise MentoringError(_("Run the matching first."))
            sent = services.publish_run(run, actor=request.user)
            messages.success(request, _("%(sent)d requests sent to the mentors.") % {"sent": sent})
        elif action in ("lock", "ban", "propose"):
            form = PairForm(request.POST)
            if not form.is_valid():
                raise MentoringError(_("Choose a pair."))
            mentee = Enrolment.objects.filter(pk=form.cleaned_data["mentee"], programme=programme).first()
            mentor = Enrolment.objects.filter(pk=form.cleaned_data["mentor"], programme=programme).first()
            if mentee is None or mentor is None:
                raise MentoringError(_("This pair is not in the programme."))
            if action == "propose":
                services.propose_pair(actor=request.user, mentee=mentee, mentor=mentor)
                messages.success(request, _("Request sent to the mentor."))
            else:
                kind = PairRuleKind.LOCK if action == "lock" else PairRuleKind.BAN
                services.set_pair_rule(actor=request.user, programme=programme, mentee=mentee, mentor=mentor, kind=kind)
                messages.success(request, _("Saved. Run the matching again to see its effect."))
        elif action == "vet":
            enrolment = Enrolment.objects.filter(pk=request.POST.get("enrolment") or 0, programme=programme).first()
            if enrolment is None:
                raise MentoringError(_("No such enrolment."))
            services.vet_mentor(enrolment, actor=request.user, vetted=request.POST.get("vetted") != "0")
            messages.success(request, _("Vetting mark saved."))
        else:
            raise Http404
    except MentoringError as error:
        messages.error(request, str(error))
    return back


def coordinate_url(programme) -> str:
    return reverse("mentoring:coordinate_programme", args=[programme.slug])
