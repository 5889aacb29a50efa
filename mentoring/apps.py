from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Mentoring")

    def ready(self) -> None:
        from mentoring import metrics, notifications, signals  # noqa: F401 -- metrics registers on import

        notifications.register()
        signals.connect()
