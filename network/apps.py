from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Membership")

    def ready(self) -> None:
        # Every app's post_migrate, not only ours: Wagtail's permissions are created after this app's turn
        # (e.g. after a flush), and the groups need them.
        post_migrate.connect(_ensure_staff_groups, dispatch_uid="network_ensure_staff_groups")
        # Connects the receivers that audit group (staff role) changes made outside the services.
        # The network's own sections of the members' area and panels of the Community of Practice home (the
        # other apps register theirs in their areas.py); the cached members' area forgets what changes.
        import network.notifications  # noqa: F401 (registers the "all" unsubscribe scope)
        import network.sections  # noqa: F401
        import network.services.staff  # noqa: F401
        from network.members_area import connect_receivers

        connect_receivers()


def _ensure_staff_groups(sender, **kwargs):
    # Permissions exist only after migrate has run, so the groups are kept in shape here, not in a migration.
    # post_migrate is sent once per app; wait for the last one, when Wagtail's permissions exist.
    from django.apps import apps

    if sender is not [config for config in apps.get_app_configs() if config.models_module][-1]:
        return
    from network.services import ensure_staff_groups

    ensure_staff_groups()
