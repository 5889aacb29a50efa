"""Every write of the mentoring programme: enrolment, matching, the mentorship's state machine, meetings,
feedback. Each is one transaction with an audit entry; notifications (and their emails) go out on commit.

The state machine of a mentorship (`TRANSITIONS`): requested → accepted / declined / expired; accepted →
active (goals agreed or a first meeting logged) → closed; accepted may be closed too. Any other move raises
`MentoringError` with a message for the person who tried.
"""

import datetime
import uuid

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mentoring import matching, permissions, queries
from mentoring.choices import (
    EnrolmentState,
    LinkAction,
    MatchSource,
    MentorshipState,
    PairRuleKind,
    Role,
    RunState,
)
from mentoring.links import Link, link_url
from mentoring.models import (
    MAX_CAPACITY,
    Enrolment,
    EnrolmentLanguage,
    Feedback,
    MatchProposal,
    MatchRun,
    Meeting,
    Mentorship,
    PairRule,
    Programme,
    UsedLink,
)
from mentoring.notifications import KIND
from network.choices import AuditAction
from network.models import User
from network.notifications import notification_language, notify
from network.services.audit import record_audit
from network.services.staff import grant_object_permission

TRANSITIONS = {
    MentorshipState.REQUESTED: {MentorshipState.ACCEPTED, MentorshipState.DECLINED, MentorshipState.EXPIRED},
    MentorshipState.ACCEPTED: {MentorshipState.ACTIVE, MentorshipState.CLOSED},
    MentorshipState.ACTIVE: {MentorshipState.CLOSED},
}
REMIND_BEFORE = datetime.timedelta(days=1)
NUDGE_AFTER = datetime.timedelta(days=30)


class MentoringError(Exception):
    """A refused change, with a message for the person who asked (nothing was changed)."""


def _move(mentorship: Mentorship, state: str) -> None:
    if state not in TRANSITIONS.get(mentorship.state, set()):
        raise MentoringError(
            _("This mentorship is %(state)s: it cannot become %(new)s.")
            % {"state": mentorship.get_state_display().lower(), "new": MentorshipState(state).label.lower()}
        )
    mentorship.state = state


def _locked(mentorship: Mentorship) -> Mentorship:
    """Lock the mentorship's row and read it again (its state may have changed since the page was shown);
    the caller's object is brought up to date in place."""
    Mentorship.objects.select_for_update().filter(pk=mentorship.pk).values_list("pk", flat=True).first()
    mentorship.refresh_from_db()
    return mentorship


def _user_of(enrolment: Enrolment) -> User:
    return enrolment.member.user


def _page(mentorship: Mentorship) -> str:
    return reverse("mentoring:mentorship_detail", args=[mentorship.pk])


def _tell(recipient: User, mentorship: Mentorship, event: str, title, text="", url: str = "") -> None:
    """Notify one person, the texts rendered in her language (callables called under it)."""
    with notification_language(recipient):
        notify(
            recipient,
            kind=KIND,
            event_key=f"mentoring:{mentorship.pk}:{event}:{recipient.pk}",
            title=str(title() if callable(title) else title),
            text=str(text() if callable(text) else text),
            url=url or _page(mentorship),
            target_id=str(mentorship.pk),
        )


# --- enrolment --------------------------------------------------------------------------------------------------


def _clean_enrolment(role: str, data: dict) -> None:
    capacity = data.get("capacity", 1)
    if role == Role.MENTOR and not (1 <= int(capacity) <= MAX_CAPACITY):
        raise MentoringError(_("A mentor takes between 1 and %(max)d mentees at once.") % {"max": MAX_CAPACITY})
    if not data.get("weekly_ranges"):
        raise MentoringError(_("Choose at least one hour in the week when you are available."))
    try:
        matching.ranges_to_local_hours([tuple(map(int, item)) for item in data["weekly_ranges"]])
    except (TypeError, ValueError):
        raise MentoringError(_("A time range is not valid.")) from None
    if not data.get("languages"):
        raise MentoringError(_("Choose at least one working language."))
    if not data.get("topics"):
        raise MentoringError(_("Choose at least one topic."))


@transaction.atomic
def enrol(*, actor: User, programme: Programme, role: str, data: dict) -> Enrolment:
    """Enrol the actor (or change her enrolment) as mentor or mentee. `data`: the form's cleaned fields, with
    `languages` as [(Language, proficiency)] and `weekly_ranges` as [(weekday, start hour, end hour)] in
    `time_zone` (several a day; an end not after the start runs past midnight)."""
    permissions.check_can_use_mentoring(actor)
    if role not in Role.values:
        raise MentoringError(_("Unknown role."))
    if not programme.enrolment_is_open():
        raise MentoringError(_("Enrolment in this programme is closed."))
    _clean_enrolment(role, data)
    member = actor.member
    enrolment = queries.get_enrolment(member, programme, role)
    created = enrolment is None
    if created:
        enrolment = Enrolment(programme=programme, member=member, role=role)
    ranges = sorted({(int(day), int(start), int(end)) for day, start, end in data["weekly_ranges"]})
    for field in (
        "mission",
        "duty_station",
        "available_until",
        "time_zone",
        "prefers_mission",
        "prefers_language",
        "home_police_service",
        "contingent",
        "reporting_line",
        "years_of_service",
    ):
        if field in data:
            setattr(enrolment, field, data[field])
    enrolment.capacity = int(data.get("capacity") or 1) if role == Role.MENTOR else 1
    enrolment.weekly_ranges = [list(item) for item in ranges]
    enrolment.availability_utc = format(
        matching.local_hours_to_utc_mask(enrolment.local_hours, enrolment.time_zone, timezone.localdate()), "x"
    )
    enrolment.state = EnrolmentState.OPEN
    enrolment.full_clean(exclude=["member", "programme", "topics"])
    enrolment.save()
    enrolment.topics.set(data["topics"])
    EnrolmentLanguage.objects.filter(enrolment=enrolment).delete()
    EnrolmentLanguage.objects.bulk_create(
        EnrolmentLanguage(enrolment=enrolment, language=language, proficiency=int(level))
        for language, level in dict(data["languages"]).items()
    )
    if role == Role.MENTOR:
        bump_matching_version(programme.pk)
    record_audit(
        AuditAction.MENTORING_ENROLLED if created else AuditAction.MENTORING_ENROLMENT_CHANGED,
        actor=actor,
        subject=actor,
        target=enrolment,
        details={"programme": programme.slug, "role": role},
    )
    return enrolment


@transaction.atomic
def withdraw_enrolment(enrolment: Enrolment, *, actor: User) -> None:
    if enrolment.member.user_id != actor.pk:
        raise PermissionDenied
    enrolment.state = EnrolmentState.WITHDRAWN
    enrolment.save(update_fields=["state", "updated_at"])
    if enrolment.role == Role.MENTOR:
        bump_matching_version(enrolment.programme_id)
    record_audit(AuditAction.MENTORING_ENROLMENT_WITHDRAWN, actor=actor, subject=actor, target=enrolment)


@transaction.atomic
def vet_mentor(enrolment: Enrolment, *, actor: User, vetted: bool = True) -> None:
    """A coordinator's mark that the mentor may take sensitive topics (SGBV)."""
    permissions.check_can_coordinate(actor)
    if enrolment.role != Role.MENTOR:
        raise MentoringError(_("Only mentors are vetted."))
    enrolment.vetted_at = timezone.now() if vetted else None
    enrolment.vetted_by = actor if vetted else None
    enrolment.save(update_fields=["vetted_at", "vetted_by", "updated_at"])
    bump_matching_version(enrolment.programme_id)
    record_audit(
        AuditAction.MENTORING_MENTOR_VETTED,
        actor=actor,
        subject=_user_of(enrolment),
        target=enrolment,
        details={"vetted": vetted},
    )


# --- shortlist and requests ---------------------------------------------------------------------------------------


def _score(programme: Programme, mentees, mentors) -> matching.Scored:
    """Score mentees × mentors (querysets; `mentors` may be a list of matching.Person already read)."""
    people = queries.as_people(mentees, programme)
    rules = queries.programme_rules(programme, mentee_ids=[p.id for p in people])
    if not isinstance(mentors, list):
        mentors = queries.as_people(mentors, programme)
    return matching.score_cohort(people, mentors, rules)


def bump_matching_version(programme_id: int) -> None:
    """Give the programme a new matching token, so every process reads its mentors afresh (see
    queries.open_mentors_as_people). Called last in each write that changes what matching reads of mentors,
    inside its transaction: the token and the change commit (or roll back) together."""
    Programme.objects.filter(pk=programme_id).update(matching_version=uuid.uuid4().hex)


def bump_matching_version_for_member(*, member_id: int | None = None, user_id: int | None = None) -> None:
    """A member's profile or account changed: the programmes she mentors in, in one statement."""
    enrolled = Enrolment.objects.filter(role=Role.MENTOR)
    enrolled = (
        enrolled.filter(member_id=member_id) if member_id is not None else enrolled.filter(member__user_id=user_id)
    )
    Programme.objects.filter(pk__in=enrolled.values("programme_id")).update(matching_version=uuid.uuid4().hex)


def programme_saved(programme: Programme, *, actor: User, created: bool) -> None:
    """After a coordinator saved the programme in the admin: audited (Wagtail's history keeps the field
    changes); its rules (sensitive topics, language level) may change who is eligible, so its matching token is
    renewed."""
    permissions.check_can_coordinate(actor)
    record_audit(
        AuditAction.MENTORING_PROGRAMME_SAVED,
        actor=actor,
        target=programme,
        reason="created" if created else "edited",
    )
    bump_matching_version(programme.pk)


def refresh_shortlist(mentee: Enrolment) -> list[dict]:
    """Compute (and keep on the enrolment) the mentee's shortlist: [{"mentor", "score", "parts"}]."""
    programme = mentee.programme
    scored = _score(programme, Enrolment.objects.filter(pk=mentee.pk), queries.open_mentors_as_people(programme))
    advertised = queries.advertised_top_counts(programme)
    if mentee.top_suggestion_id:
        advertised[mentee.top_suggestion_id] = advertised.get(mentee.top_suggestion_id, 1) - 1
    suggestions = matching.shortlist(scored, 0, advertised_top=advertised) if scored.mentees else []
    index = {p.id: j for j, p in enumerate(scored.mentors)}
    entries = [
        {
            "mentor": s.mentor,
            "score": round(s.score, 4),
            "parts": [
                {"component": part.component, "score": part.score}
                for part in matching.explain_pair(scored, 0, index[s.mentor])
            ],
        }
        for s in suggestions
    ]
    Enrolment.objects.filter(pk=mentee.pk).update(
        shortlist=entries, top_suggestion_id=entries[0]["mentor"] if entries else None
    )
    mentee.shortlist = entries
    mentee.top_suggestion_id = entries[0]["mentor"] if entries else None
    return entries


def explain(mentee: Enrolment, mentor: Enrolment) -> tuple[float, list[matching.Part], int]:
    """(score, explanation parts in the active language, excluded reasons mask) of one pair."""
    programme = mentee.programme
    scored = _score(programme, Enrolment.objects.filter(pk=mentee.pk), Enrolment.objects.filter(pk=mentor.pk))
    return (
        float(scored.total[0, 0]),
        matching.explain_pair(scored, 0, 0, topic_names=queries.topic_names()),
        int(scored.excluded[0, 0]),
    )


def _open_for(mentee: Enrolment) -> bool:
    return Mentorship.objects.filter(mentee=mentee, state__in=queries.OPEN_STATES).exists()


def _create_request(*, actor: User, mentee: Enrolment, mentor: Enrolment, message: str, source: str) -> Mentorship:
    programme = mentee.programme
    if mentor.programme_id != programme.pk or mentor.role != Role.MENTOR or mentee.role != Role.MENTEE:
        raise MentoringError(_("This mentor is not enrolled in the programme."))
    if mentor.state != EnrolmentState.OPEN or mentee.state != EnrolmentState.OPEN:
        raise MentoringError(_("This enrolment is no longer open."))
    if mentor.member_id == mentee.member_id:
        raise MentoringError(_("You cannot be your own mentor."))
    Enrolment.objects.select_for_update().filter(pk=mentee.pk).first()
    if _open_for(mentee):
        raise MentoringError(_("There is already an open request or mentorship for this enrolment."))
    score, parts, excluded = explain(mentee, mentor)
    if excluded:
        reasons = "; ".join(matching.describe_reasons(excluded))
        raise MentoringError(_("This pair cannot be matched: %(reasons)s.") % {"reasons": reasons})
    now = timezone.now()
    mentorship = Mentorship.objects.create(
        programme=programme,
        mentee=mentee,
        mentor=mentor,
        source=source,
        score=score,
        explanation=[{"component": p.component, "score": p.score} for p in parts],
        message=message.strip()[:1000],
        requested_at=now,
        answer_by=now + datetime.timedelta(days=programme.accept_deadline_days),
    )
    record_audit(
        AuditAction.MENTORING_REQUESTED,
        actor=actor,
        subject=_user_of(mentee),
        target=mentorship,
        details={"mentor": mentor.pk, "source": source, "score": round(score, 4)},
    )
    _tell_mentor_of_request(mentorship)
    return mentorship


def _tell_mentor_of_request(mentorship: Mentorship, *, reminder: bool = False) -> None:
    mentor = _user_of(mentorship.mentor)
    mentee_name = mentorship.mentee.member.display_name

    def text() -> str:
        _score_, parts, _excluded = explain(mentorship.mentee, mentorship.mentor)
        lines = [
            _("Why you were matched: %(why)s.") % {"why": matching.explanation_text(parts)},
            _("Please answer by %(date)s.") % {"date": date_format(timezone.localtime(mentorship.answer_by))},
            _("Accept: %(url)s") % {"url": link_url(mentorship, LinkAction.ACCEPT, mentor)},
            _("Decline: %(url)s") % {"url": link_url(mentorship, LinkAction.DECLINE, mentor)},
        ]
        return "\n".join(lines)

    def title() -> str:
        if reminder:
            return _("Reminder: %(name)s is waiting for your answer") % {"name": mentee_name}
        return _("%(name)s asks you to be her mentor in “%(programme)s”") % {
            "name": mentee_name,
            "programme": mentorship.programme.title,
        }

    _tell(mentor, mentorship, "reminder" if reminder else "requested", title, text)


@transaction.atomic
def request_mentor(*, actor: User, mentee: Enrolment, mentor: Enrolment, message: str = "") -> Mentorship:
    """The mentee asks a mentor; the mentor is notified (email with accept and decline links)."""
    permissions.check_can_use_mentoring(actor)
    if mentee.member.user_id != actor.pk:
        raise PermissionDenied
    return _create_request(actor=actor, mentee=mentee, mentor=mentor, message=message, source=MatchSource.SHORTLIST)


@transaction.atomic
def propose_pair(*, actor: User, mentee: Enrolment, mentor: Enrolment) -> Mentorship:
    """A coordinator's manual match: a request on the mentee's behalf."""
    permissions.check_can_coordinate(actor)
    return _create_request(actor=actor, mentee=mentee, mentor=mentor, message="", source=MatchSource.MANUAL)


@transaction.atomic
def accept_request(mentorship: Mentorship, *, actor: User) -> Mentorship:
    """The mentor accepts. Her enrolment row is locked first, so simultaneous acceptances never take more
    places than she has. Both get the grant to read the pair's notes."""
    mentor = Enrolment.objects.select_for_update().get(pk=mentorship.mentor_id)
    mentorship = _locked(mentorship)
    if mentor.member.user_id != actor.pk:
        raise PermissionDenied
    if mentorship.state == MentorshipState.REQUESTED and mentorship.answer_by < timezone.now():
        raise MentoringError(_("This request expired on %(date)s.") % {"date": date_format(mentorship.answer_by)})
    _move(mentorship, MentorshipState.ACCEPTED)
    held = Mentorship.objects.filter(mentor=mentor, state__in=queries.HOLDING_STATES).count()
    if held >= mentor.capacity:
        raise MentoringError(_("You have no place left: you already mentor as many people as you offered."))
    mentorship.decided_at = timezone.now()
    mentorship.save(update_fields=["state", "decided_at"])
    bump_matching_version(mentorship.programme_id)  # one place fewer
    for person in (_user_of(mentorship.mentee), actor):
        # Granted by the system as part of the acceptance (audited just below), not by a staff member.
        grant_object_permission(person, permissions.NOTES_PERM, mentorship, actor=None, reason="mentoring pair")
    record_audit(AuditAction.MENTORING_ACCEPTED, actor=actor, subject=_user_of(mentorship.mentee), target=mentorship)
    name = mentorship.mentor.member.display_name
    _tell(
        _user_of(mentorship.mentee),
        mentorship,
        "accepted",
        lambda: _("%(name)s accepted to be your mentor") % {"name": name},
        lambda: _("Agree on your goals and plan your first meeting on the mentorship's page."),
    )
    return mentorship


def _offer_next(mentorship: Mentorship, event: str) -> None:
    """After a decline or an expiry: a fresh shortlist for the mentee, its first mentor offered to her."""
    mentee = mentorship.mentee
    entries = refresh_shortlist(mentee)
    mentee_user = _user_of(mentee)
    mentor_name = mentorship.mentor.member.display_name
    next_name = ""
    if entries:
        next_mentor = Enrolment.objects.select_related("member__user").get(pk=entries[0]["mentor"])
        next_name = next_mentor.member.display_name

    def title() -> str:
        if event == "declined":
            return _("%(name)s cannot be your mentor") % {"name": mentor_name}
        return _("%(name)s did not answer in time") % {"name": mentor_name}

    def text() -> str:
        if next_name:
            return _("We suggest %(name)s next; your shortlist has more.") % {"name": next_name}
        return _("No other mentor fits yet: a coordinator will help.")

    _tell(
        mentee_user,
        mentorship,
        event,
        title,
        text,
        url=reverse("mentoring:shortlist", args=[mentorship.programme.slug]),
    )


@transaction.atomic
def decline_request(mentorship: Mentorship, *, actor: User) -> Mentorship:
    mentorship = _locked(mentorship)
    if mentorship.mentor.member.user_id != actor.pk:
        raise PermissionDenied
    _move(mentorship, MentorshipState.DECLINED)
    mentorship.decided_at = timezone.now()
    mentorship.save(update_fields=["state", "decided_at"])
    record_audit(AuditAction.MENTORING_DECLINED, actor=actor, subject=_user_of(mentorship.mentee), target=mentorship)
    _offer_next(mentorship, "declined")
    return mentorship


@transaction.atomic
def expire_request(mentorship: Mentorship, *, now: datetime.datetime | None = None) -> bool:
    """A request past its deadline expires (the system's move); the mentee is offered the next mentor."""
    mentorship = _locked(mentorship)
    now = now or timezone.now()
    if mentorship.state != MentorshipState.REQUESTED or mentorship.answer_by > now:
        return False
    _move(mentorship, MentorshipState.EXPIRED)
    mentorship.decided_at = now
    mentorship.save(update_fields=["state", "decided_at"])
    record_audit(AuditAction.MENTORING_EXPIRED, actor=None, subject=_user_of(mentorship.mentee), target=mentorship)
    _offer_next(mentorship, "expired")
    return True


@transaction.atomic
def remind_of_request(mentorship: Mentorship) -> bool:
    """Once per request, a day before its deadline."""
    updated = Mentorship.objects.filter(
        pk=mentorship.pk, state=MentorshipState.REQUESTED, reminded_at__isnull=True
    ).update(reminded_at=timezone.now())
    if updated:
        _tell_mentor_of_request(mentorship, reminder=True)
    return bool(updated)


def _check_party(mentorship: Mentorship, actor: User) -> None:
    if not permissions.can_view_mentorship(actor, mentorship):
        raise PermissionDenied


@transaction.atomic
def set_goals(mentorship: Mentorship, *, actor: User, goals: str) -> Mentorship:
    _check_party(mentorship, actor)
    mentorship = _locked(mentorship)
    if mentorship.state == MentorshipState.ACCEPTED:
        _move(mentorship, MentorshipState.ACTIVE)
        mentorship.started_at = timezone.now()
    elif mentorship.state != MentorshipState.ACTIVE:
        raise MentoringError(_("Goals are agreed in an accepted or active mentorship."))
    mentorship.goals = goals.strip()
    mentorship.save(update_fields=["state", "started_at", "goals"])
    record_audit(AuditAction.MENTORING_GOALS_CHANGED, actor=actor, target=mentorship)
    return mentorship


@transaction.atomic
def log_meeting(
    mentorship: Mentorship,
    *,
    actor: User,
    starts_at: datetime.datetime,
    duration_minutes: int = 60,
    notes: str = "",
    planned: bool = False,
) -> Meeting:
    """A meeting held (or planned: then an .ics invite is offered). A first meeting makes the pair active."""
    _check_party(mentorship, actor)
    mentorship = _locked(mentorship)
    if mentorship.state == MentorshipState.ACCEPTED:
        _move(mentorship, MentorshipState.ACTIVE)
        mentorship.started_at = timezone.now()
        mentorship.save(update_fields=["state", "started_at"])
    elif mentorship.state != MentorshipState.ACTIVE:
        raise MentoringError(_("Meetings are logged in an accepted or active mentorship."))
    if not 5 <= duration_minutes <= 600:
        raise MentoringError(_("A meeting lasts between 5 minutes and 10 hours."))
    meeting = Meeting.objects.create(
        mentorship=mentorship,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        notes=notes.strip(),
        planned=planned,
        created_by=actor,
    )
    # The audit entry records that a meeting took place, never its notes.
    record_audit(
        AuditAction.MENTORING_MEETING_LOGGED,
        actor=actor,
        target=mentorship,
        details={"meeting": meeting.pk, "planned": planned, "minutes": duration_minutes},
    )
    return meeting


@transaction.atomic
def close_mentorship(mentorship: Mentorship, *, actor: User, reason: str) -> Mentorship:
    from mentoring.choices import CloseReason

    _check_party(mentorship, actor)
    if reason not in CloseReason.values:
        raise MentoringError(_("Choose a reason for closing."))
    mentorship = _locked(mentorship)
    _move(mentorship, MentorshipState.CLOSED)
    mentorship.closed_at = timezone.now()
    mentorship.closed_by = actor
    mentorship.close_reason = reason
    mentorship.save(update_fields=["state", "closed_at", "closed_by", "close_reason"])
    bump_matching_version(mentorship.programme_id)  # a place freed
    record_audit(AuditAction.MENTORING_CLOSED, actor=actor, target=mentorship, details={"reason": reason})
    mentee, mentor = _user_of(mentorship.mentee), _user_of(mentorship.mentor)
    other = mentor if actor.pk == mentee.pk else mentee
    name = actor.get_full_name() or actor.email
    _tell(
        other,
        mentorship,
        "closed",
        lambda: _("%(name)s closed your mentorship") % {"name": name},
        lambda: _("Tell the coordinators how it went: your feedback helps the next pairs."),
    )
    return mentorship


@transaction.atomic
def give_feedback(mentorship: Mentorship, *, actor: User, rating: int | None, text: str = "") -> Feedback:
    _check_party(mentorship, actor)
    if mentorship.state != MentorshipState.CLOSED:
        raise MentoringError(_("Feedback is given once the mentorship is closed."))
    if rating is None or not 1 <= int(rating) <= 5:
        raise MentoringError(_("Choose a rating from 1 to 5."))
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(mentorship=mentorship, author=actor, rating=int(rating), text=text)
    except IntegrityError:
        raise MentoringError(_("You have already given your feedback.")) from None
    record_audit(AuditAction.MENTORING_FEEDBACK_GIVEN, actor=actor, target=mentorship, details={"rating": rating})
    return feedback


@transaction.atomic
def request_rematch(mentorship: Mentorship, *, actor: User) -> list[dict]:
    """After a closed or refused mentorship, the mentee asks for a new mentor: a fresh shortlist."""
    if not permissions.is_mentee_of(actor, mentorship):
        raise PermissionDenied
    if mentorship.state in queries.OPEN_STATES:
        raise MentoringError(_("Close this mentorship before asking for another mentor."))
    record_audit(AuditAction.MENTORING_REMATCH_REQUESTED, actor=actor, target=mentorship)
    return refresh_shortlist(mentorship.mentee)


@transaction.atomic
def nudge_pair(mentorship: Mentorship, *, now: datetime.datetime | None = None) -> bool:
    """A check-in nudge when no meeting was logged for NUDGE_AFTER (at most one per NUDGE_AFTER)."""
    now = now or timezone.now()
    mentorship = _locked(mentorship)
    if mentorship.state != MentorshipState.ACTIVE:
        return False
    last = mentorship.meetings.filter(planned=False).order_by("-starts_at").values_list("starts_at", flat=True).first()
    since = max(filter(None, [last, mentorship.started_at, mentorship.last_nudged_at]), default=None)
    if since is not None and now - since < NUDGE_AFTER:
        return False
    mentorship.last_nudged_at = now
    mentorship.save(update_fields=["last_nudged_at"])
    for person in (_user_of(mentorship.mentee), _user_of(mentorship.mentor)):
        _tell(
            person,
            mentorship,
            f"nudge-{now:%Y%m%d}",
            lambda: _("Time for a check-in with your mentoring partner?"),
            lambda person=person: (
                _("No meeting was logged for 30 days. Met already? %(url)s")
                % {"url": link_url(mentorship, LinkAction.MET, person)}
            ),
        )
    return True


# --- one-click links ------------------------------------------------------------------------------------------


@transaction.atomic
def use_link(link: Link) -> Mentorship:
    """Do what a signed email link says, once (the confirmation page's POST)."""
    mentorship = queries.get_mentorship(link.mentorship_id)
    user = User.objects.filter(pk=link.user_id, is_active=True).first()
    if mentorship is None or user is None or not mentorship.is_party(user):
        raise MentoringError(_("This link is not valid."))
    try:
        with transaction.atomic():
            UsedLink.objects.create(nonce=link.nonce, action=link.action, mentorship=mentorship)
    except IntegrityError:
        raise MentoringError(_("This link was already used.")) from None
    if link.action == LinkAction.ACCEPT:
        return accept_request(mentorship, actor=user)
    if link.action == LinkAction.DECLINE:
        return decline_request(mentorship, actor=user)
    log_meeting(mentorship, actor=user, starts_at=timezone.now())
    return mentorship


# --- batch matching -------------------------------------------------------------------------------------------


@transaction.atomic
def run_matching(programme: Programme, *, actor: User) -> MatchRun:
    """Match the unmatched mentees of the programme optimally, staged for review (earlier staged runs are
    replaced). Locked pairs are kept, banned pairs never proposed."""
    permissions.check_can_coordinate(actor)
    mentees = queries.unmatched_mentees(programme)
    scored = _score(programme, mentees, queries.open_enrolments(programme, Role.MENTOR))
    rules = queries.programme_rules(programme, mentee_ids=[p.id for p in scored.mentees])
    result = matching.assign(scored, locked=rules.locked_pairs)
    report = matching.run_report(scored.mentees, result)
    MatchRun.objects.filter(programme=programme, state=RunState.STAGED).update(state=RunState.DISCARDED)
    run = MatchRun.objects.create(programme=programme, created_by=actor, report=report)
    mentee_index = {p.id: i for i, p in enumerate(scored.mentees)}
    mentor_index = {p.id: j for j, p in enumerate(scored.mentors)}
    MatchProposal.objects.bulk_create(
        MatchProposal(
            run=run,
            mentee_id=mentee_id,
            mentor_id=mentor_id,
            score=round(score, 4),
            locked=(mentee_id, mentor_id) in rules.locked_pairs,
            explanation=[
                {"component": p.component, "score": p.score}
                for p in matching.explain_pair(scored, mentee_index[mentee_id], mentor_index[mentor_id])
            ],
        )
        for mentee_id, mentor_id, score in result.pairs
    )
    record_audit(
        AuditAction.MENTORING_MATCH_RUN,
        actor=actor,
        target=run,
        details={"programme": programme.slug, "matched": report["matched"], "enrolled": report["enrolled"]},
    )
    return run


@transaction.atomic
def set_pair_rule(*, actor: User, programme: Programme, mentee: Enrolment, mentor: Enrolment, kind: str) -> PairRule:
    permissions.check_can_coordinate(actor)
    if kind not in PairRuleKind.values:
        raise MentoringError(_("Unknown decision."))
    if {mentee.programme_id, mentor.programme_id} != {programme.pk} or mentee.role != Role.MENTEE:
        raise MentoringError(_("This pair is not in the programme."))
    rule, _created = PairRule.objects.update_or_create(
        mentee=mentee, mentor=mentor, defaults={"programme": programme, "kind": kind, "created_by": actor}
    )
    bump_matching_version(programme.pk)
    record_audit(
        AuditAction.MENTORING_PAIR_LOCKED if kind == PairRuleKind.LOCK else AuditAction.MENTORING_PAIR_BANNED,
        actor=actor,
        target=rule,
        details={"mentee": mentee.pk, "mentor": mentor.pk},
    )
    return rule


@transaction.atomic
def publish_run(run: MatchRun, *, actor: User) -> int:
    """Turn a staged run's proposals into requests to the mentors; returns how many were sent."""
    permissions.check_can_coordinate(actor)
    run = MatchRun.objects.select_for_update().get(pk=run.pk)
    if run.state != RunState.STAGED:
        raise MentoringError(_("Only a staged run can be published."))
    sent = 0
    for proposal in queries.run_proposals(run):
        if _open_for(proposal.mentee):
            continue
        try:
            with transaction.atomic():
                _create_request(
                    actor=actor,
                    mentee=proposal.mentee,
                    mentor=proposal.mentor,
                    message="",
                    source=MatchSource.BATCH,
                )
            sent += 1
        except MentoringError:
            continue  # changed since the run (a place taken, an enrolment withdrawn): left out
    run.state = RunState.PUBLISHED
    run.published_at = timezone.now()
    run.save(update_fields=["state", "published_at"])
    record_audit(AuditAction.MENTORING_MATCH_PUBLISHED, actor=actor, target=run, details={"requests": sent})
    return sent
