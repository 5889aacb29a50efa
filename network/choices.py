import functools

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class MemberCategory(models.TextChoices):
    ACTIVE = "active", _("Active (serving police officer)")
    CIVILIAN = "civilian", _("Civilian")
    HONORARY = "honorary", _("Honorary")
    OBSERVER = "observer", _("Observer")


class Visibility(models.TextChoices):
    """Who may see one field of a profile, from the narrowest audience to the widest."""

    PRIVATE = "private", _("Only me")
    NETWORK = "network", _("Network members (active, civilian, honorary)")
    MEMBERS = "members", _("All members (including observers)")


class AccessLevel(models.IntegerChoices):
    """The access levels, each including the ones below it."""

    PUBLIC = 0, _("Public")
    MEMBERS = 1, _("Members")
    NETWORK = 2, _("Network")
    COMMUNITY = 3, _("Community of Practice")


class StaffRole(models.TextChoices):
    """Staff roles; each is a Django group of the same name."""

    MEMBERSHIP_OFFICER = "Membership officers", _("Membership officer")
    MODERATOR = "Community moderators", _("Community moderator")
    EDITOR = "Editors", _("Editor")
    ADMINISTRATOR = "Administrators", _("Administrator")
    TRAINING_ORGANISER = "Training organisers", _("Training organiser")
    MENTORING_COORDINATOR = "Mentoring coordinators", _("Mentoring coordinator")


class EmailState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.TextChoices):
    """How a notification reaches its recipient besides the site's notifications page."""

    IMMEDIATE = "immediate", _("Every time (email now)")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    NONE = "none", _("Only on the site")


class NotificationEmailState(models.TextChoices):
    PENDING = "pending", _("Waiting to be emailed")
    SENT = "sent", _("Emailed")
    SKIPPED = "skipped", _("Not emailed (no longer allowed or emails paused)")
    IN_DIGEST = "digest", _("Emailed in a digest (its digest cursor says when)")
    NOT_NEEDED = "not_needed", _("Shown on the site only")


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    MORE_INFO = "more_info", _("More information requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class CommunityAccessState(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    LAPSED = "lapsed", _("Lapsed")
    REVOKED = "revoked", _("Revoked")


class ConsentKind(models.TextChoices):
    TERMS = "terms", _("Terms of membership")
    FEATURE = "feature", _("Being featured on the public website")


class AuditAction(models.TextChoices):
    APPLICATION_SUBMITTED = "application_submitted", _("Application submitted")
    APPLICATION_INFO_REQUESTED = "application_info_requested", _("More information requested")
    APPLICATION_APPROVED = "application_approved", _("Application approved")
    APPLICATION_REJECTED = "application_rejected", _("Application rejected")
    CATEGORY_CHANGED = "category_changed", _("Category changed")
    MEMBERSHIP_RENEWED = "membership_renewed", _("Membership renewed")
    MEMBERSHIP_LAPSED = "membership_lapsed", _("Membership lapsed")
    COMMUNITY_REQUESTED = "community_requested", _("Community access requested")
    COMMUNITY_ENDORSED = "community_endorsed", _("Community access request endorsed")
    COMMUNITY_APPROVED = "community_approved", _("Community access granted")
    COMMUNITY_DECLINED = "community_declined", _("Community access declined")
    COMMUNITY_RENEWED = "community_renewed", _("Community access renewed")
    COMMUNITY_LAPSED = "community_lapsed", _("Community access lapsed")
    COMMUNITY_REVOKED = "community_revoked", _("Community access revoked")
    STAFF_ROLE_GRANTED = "staff_role_granted", _("Staff role granted")
    STAFF_ROLE_REVOKED = "staff_role_revoked", _("Staff role removed")
    OBJECT_PERMISSION_GRANTED = "object_permission_granted", _("Object permission granted")
    OBJECT_PERMISSION_REVOKED = "object_permission_revoked", _("Object permission removed")
    MEMBERS_IMPORTED = "members_imported", _("Members imported")
    CONSENT_GIVEN = "consent_given", _("Consent given")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    DATA_EXPORTED = "data_exported", _("Personal data exported")
    ACCOUNT_DELETED = "account_deleted", _("Account deleted")
    FORUM_POST_HIDDEN = "forum_post_hidden", _("Forum post hidden")
    FORUM_POST_RESTORED = "forum_post_restored", _("Forum post restored")
    FORUM_POST_APPROVED = "forum_post_approved", _("Held forum post approved")
    FORUM_POST_REJECTED = "forum_post_rejected", _("Held forum post rejected")
    FORUM_POST_EDITED = "forum_post_edited", _("Forum post edited by a moderator")
    FORUM_POST_DELETED = "forum_post_deleted", _("Forum post deleted")
    FORUM_FLAG_RESOLVED = "forum_flag_resolved", _("Forum flag resolved")
    FORUM_TOPIC_LOCKED = "forum_topic_locked", _("Forum topic locked")
    FORUM_TOPIC_UNLOCKED = "forum_topic_unlocked", _("Forum topic unlocked")
    FORUM_TOPIC_PINNED = "forum_topic_pinned", _("Forum topic pinned")
    FORUM_TOPIC_UNPINNED = "forum_topic_unpinned", _("Forum topic unpinned")
    FORUM_TOPIC_HIDDEN = "forum_topic_hidden", _("Forum topic hidden")
    FORUM_TOPIC_RESTORED = "forum_topic_restored", _("Forum topic restored")
    FORUM_TOPIC_MOVED = "forum_topic_moved", _("Forum topic moved")
    FORUM_TOPICS_MERGED = "forum_topics_merged", _("Forum topics merged")
    FORUM_ANSWER_ACCEPTED = "forum_answer_accepted", _("Forum answer accepted")
    FORUM_MEMBER_SUSPENDED = "forum_member_suspended", _("Member suspended from the forums")
    FORUM_SUSPENSION_LIFTED = "forum_suspension_lifted", _("Forum suspension lifted")
    DOCUMENT_UPLOADED = "document_uploaded", _("Document uploaded")
    DOCUMENT_VERSION_ADDED = "document_version_added", _("New version of a document uploaded")
    DOCUMENT_UPDATED = "document_updated", _("Document details changed")
    DOCUMENT_DELETED = "document_deleted", _("Document deleted")
    DOCUMENT_ACCESS_CHANGED = "document_access_changed", _("Document access changed")
    DOCUMENT_DOWNLOADED = "document_downloaded", _("Restricted document downloaded")
    SEARCH_REINDEXED = "search_reindexed", _("Search index rebuilt")
    EVENT_REGISTERED = "event_registered", _("Registered for a session")
    EVENT_WAITLISTED = "event_waitlisted", _("Put on a session's waiting list")
    EVENT_REGISTRATION_CANCELLED = "event_registration_cancelled", _("Session registration cancelled")
    EVENT_SEAT_OFFERED = "event_seat_offered", _("Seat offered from the waiting list")
    EVENT_SEAT_CONFIRMED = "event_seat_confirmed", _("Offered seat confirmed")
    EVENT_SEAT_EXPIRED = "event_seat_expired", _("Offered seat not confirmed in time")
    EVENT_REGISTRATION_APPROVED = "event_registration_approved", _("Session registration approved")
    EVENT_REGISTRATION_DECLINED = "event_registration_declined", _("Session registration declined")
    EVENT_ATTENDANCE_MARKED = "event_attendance_marked", _("Attendance marked")
    EVENT_REGISTRANTS_MESSAGED = "event_registrants_messaged", _("Message sent to a session's registrants")
    EVENT_CALENDAR_FEED_RESET = "event_calendar_feed_reset", _("Personal calendar address replaced")
    EVENT_CERTIFICATE_ISSUED = "event_certificate_issued", _("Certificate of attendance issued")
    MENTORING_PROGRAMME_SAVED = "mentoring_programme_saved", _("Mentoring programme saved")
    MENTORING_ENROLLED = "mentoring_enrolled", _("Enrolled in a mentoring programme")
    MENTORING_ENROLMENT_CHANGED = "mentoring_enrolment_changed", _("Mentoring enrolment changed")
    MENTORING_ENROLMENT_WITHDRAWN = "mentoring_enrolment_withdrawn", _("Mentoring enrolment withdrawn")
    MENTORING_MENTOR_VETTED = "mentoring_mentor_vetted", _("Mentor vetted for sensitive topics")
    MENTORING_MATCH_RUN = "mentoring_match_run", _("Mentoring matching run")
    MENTORING_MATCH_PUBLISHED = "mentoring_match_published", _("Mentoring matches published")
    MENTORING_PAIR_LOCKED = "mentoring_pair_locked", _("Mentoring pair locked")
    MENTORING_PAIR_BANNED = "mentoring_pair_banned", _("Mentoring pair excluded")
    MENTORING_REQUESTED = "mentoring_requested", _("Mentoring requested")
    MENTORING_ACCEPTED = "mentoring_accepted", _("Mentoring request accepted")
    MENTORING_DECLINED = "mentoring_declined", _("Mentoring request declined")
    MENTORING_EXPIRED = "mentoring_expired", _("Mentoring request expired")
    MENTORING_GOALS_CHANGED = "mentoring_goals_changed", _("Mentoring goals changed")
    MENTORING_MEETING_LOGGED = "mentoring_meeting_logged", _("Mentoring meeting logged")
    MENTORING_CLOSED = "mentoring_closed", _("Mentorship closed")
    MENTORING_FEEDBACK_GIVEN = "mentoring_feedback_given", _("Mentoring feedback given")
    MENTORING_REMATCH_REQUESTED = "mentoring_rematch_requested", _("New mentor requested")


class ImportState(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    CHECKING = "checking", _("Checking rows")
    CHECKED = "checked", _("Checked, waiting for confirmation")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


def country_choices() -> list[tuple[str, str]]:
    """Every country as (code, name) in the active language, sorted by name.

    Translated and sorted once per language and process: django-countries does it on each iteration, which
    costs a few milliseconds for the 250 names that each directory page lists.
    """
    return _country_choices(get_language())


@functools.cache
def _country_choices(language: str | None) -> list[tuple[str, str]]:
    from django_countries import countries

    return [(code, str(name)) for code, name in countries]
