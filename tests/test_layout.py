"""The layout rules of README.md ("Layout"), checked on the source: which app may import which, and no module
imports another that (directly or not) imports it back."""

import ast
from collections import defaultdict
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("network", "cms", "campaigns", "search", "forums", "library", "events", "mentoring")
DOMAIN_APPS = ("campaigns", "forums", "library", "search", "events", "mentoring")


def _modules() -> dict[str, Path]:
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py") if (ROOT / app).exists() else ():
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path
    return modules


def _import_graph() -> dict[str, set[str]]:
    """Module → the modules of ours it imports, at the top or inside a function alike."""
    modules = _modules()

    def ours(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                target = ours(name)
                # A package's __init__ importing its own submodules is not a dependency between modules.
                if (
                    target
                    and target != module
                    and not target.startswith(f"{module}.")
                    and not module.startswith(f"{target}.")
                ):
                    graph[module].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_one_that_imports_it_back():
    assert _cycles(_import_graph()) == []


def test_network_imports_no_domain_app_and_domain_apps_import_no_other():
    allowed = {app: {"network"} for app in DOMAIN_APPS}
    # Site search reads the pages' access levels (cms.access) for its page source (search/sources.py).
    allowed["search"] = {"network", "cms"}
    allowed["network"] = set()
    allowed["cms"] = {"network", *DOMAIN_APPS}
    # The campaigns' public registries and chart functions, which other apps fill and reuse
    # (campaigns/metrics.py: "an app that owns other data decorates its function in its own module").
    # The search registry and the entry type its sources yield: the apps owning content register with it.
    public_modules = {"campaigns.metrics", "campaigns.charts", "search.registry", "search.engines.base"}
    wrong = set()
    for module, targets in _import_graph().items():
        app = module.split(".")[0]
        for target in targets:
            other = target.split(".")[0]
            if target in public_modules and app in DOMAIN_APPS:
                continue
            if other != app and other not in allowed[app]:
                wrong.add(f"{module} imports {target}")
    assert sorted(wrong) == []
