from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        # Receivers that forget a target's cached progress when what it shows changes.
        import campaigns.signals  # noqa: F401
        from campaigns import queries
        from network.services.privacy import register_personal_data

        register_personal_data("advocacy_actions", queries.export_advocacy_actions)
        register_personal_data("campaigns_contributed_to", queries.export_campaigns_contributed_to)
