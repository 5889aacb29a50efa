from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = _("Document library")

    def ready(self) -> None:
        from library import signals
        from library.search import document_entries, granted_document_pks
        from search.registry import SearchSource, register_source

        signals.connect()
        post_migrate.connect(signals.grant_editors_document_permissions, sender=self)
        register_source(
            SearchSource(
                kind="document",
                label=_("Documents"),
                entries=document_entries,
                watch={
                    "library.Document": lambda document: [document.pk],
                    # A grant given or taken away changes who finds a restricted document.
                    "guardian.UserObjectPermission": granted_document_pks,
                    "guardian.GroupObjectPermission": granted_document_pks,
                },
            )
        )
