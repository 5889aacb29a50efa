"""The demo's search index: built once every other app's demo content exists (idempotent: a rebuild)."""

from django.core.management import call_command

from network.demo import register_demo


@register_demo(order=900)
def seed_search_demo() -> None:
    call_command("search_reindex", verbosity=0)
