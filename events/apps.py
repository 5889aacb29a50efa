from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Trainings and events")

    def ready(self):
        from events import metrics, notifications, queries, signals  # noqa: F401 -- metrics registers the metric, signals connect
        from events.models import PAGE_CONTEXT

        notifications.register()
        PAGE_CONTEXT.update(index_sessions=queries.index_sessions, page_context=queries.page_context)
