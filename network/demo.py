"""The registry of demo content: `seed_demo` creates the demo accounts, then runs what each app registers here.

An app registers its seeder in its own `demo.py` (imported by `seed_demo` through `autodiscover_modules`, as
Wagtail finds `wagtail_hooks.py`), so `network` never imports the apps:

    @register_demo(order=20)
    def seed_campaigns_demo() -> None: ...

Seeders run in `order` inside one transaction, after the demo members exist; each must be safe to run again.
"""

from collections.abc import Callable

from django.utils.module_loading import autodiscover_modules

Seeder = Callable[[], None]
_SEEDERS: dict[str, tuple[int, Seeder]] = {}


def register_demo(*, order: int) -> Callable[[Seeder], Seeder]:
    def register(seeder: Seeder) -> Seeder:
        _SEEDERS[f"{seeder.__module__}.{seeder.__qualname__}"] = (order, seeder)
        return seeder

    return register


def demo_seeders() -> list[Seeder]:
    """Every app's registered seeder, in order."""
    autodiscover_modules("demo")
    return [seeder for _order, seeder in sorted(_SEEDERS.values(), key=lambda entry: entry[0])]
