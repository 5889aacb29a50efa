from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Membership")

    def ready(self) -> None:
        post_migrate.connect(_ensure_staff_groups, sender=self)


def _ensure_staff_groups(sender, **kwargs):
    # Permissions exist only after migrate has run, so the groups are kept in shape here, not in a migration.
    from network.services import ensure_staff_groups

    ensure_staff_groups()
