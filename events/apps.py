from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Trainings and events")

    def ready(self):
        from events import metrics, notifications  # noqa: F401 -- registers the campaign metric

        notifications.register()
