from django.apps import AppConfig


class SearchConfig(AppConfig):
    # "search" alone would read as Wagtail's search in the admin; the label stays short for migrations.
    name = "search"
    verbose_name = "Site search"

    def ready(self) -> None:
        from search import indexing, sources

        sources.register()
        indexing.connect()
