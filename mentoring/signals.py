"""Changes made outside mentoring that the matching engine reads of a mentor (her account, category, country,
missions served): they renew the matching token of the programmes she mentors in, so no process keeps a stale
mentor list (queries.open_mentors_as_people). network knows nothing of mentoring, hence signals."""

from django.db.models.signals import post_delete, post_save, pre_delete

from network.models import Member, MissionService, User

# Saves that touch none of what matching reads (every login writes last_login).
IGNORED_USER_FIELDS = frozenset({"last_login", "password"})


def _user_changed(sender, instance: User, update_fields=None, **kwargs) -> None:
    from mentoring import services

    if kwargs.get("created") or (update_fields and set(update_fields) <= IGNORED_USER_FIELDS):
        return  # a new account has no enrolment yet
    services.bump_matching_version_for_member(user_id=instance.pk)


def _member_changed(sender, instance: Member, **kwargs) -> None:
    from mentoring import services

    if kwargs.get("created"):
        return
    services.bump_matching_version_for_member(member_id=instance.pk)


def _mission_service_changed(sender, instance: MissionService, **kwargs) -> None:
    from mentoring import services

    services.bump_matching_version_for_member(member_id=instance.member_id)


def connect() -> None:
    """Called from MentoringConfig.ready()."""
    post_save.connect(_user_changed, sender=User, dispatch_uid="mentoring_matching_user_saved")
    # Before the delete: afterwards the cascade has already removed her enrolments.
    pre_delete.connect(_user_changed, sender=User, dispatch_uid="mentoring_matching_user_deleted")
    post_save.connect(_member_changed, sender=Member, dispatch_uid="mentoring_matching_member_saved")
    pre_delete.connect(_member_changed, sender=Member, dispatch_uid="mentoring_matching_member_deleted")
    post_save.connect(_mission_service_changed, sender=MissionService, dispatch_uid="mentoring_matching_mission_saved")
    post_delete.connect(
        _mission_service_changed, sender=MissionService, dispatch_uid="mentoring_matching_mission_deleted"
    )
