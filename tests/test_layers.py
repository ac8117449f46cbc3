"""The layer order of the apps (DESIGN.md §3, docs/architecture.md "Layers"): an app imports only from the layers
below it. Every import counts, at module level or inside a function.

An import that must break the order is listed in ``KNOWN_DEBT`` with the reason it exists (none is, since issue 12
paid the last one). The test fails on any new upward import, and also when a listed one is gone, so the list only
shrinks.
"""

from __future__ import annotations

import ast
import pathlib
from collections import defaultdict

SRC = pathlib.Path(__file__).resolve().parent.parent / "src" / "pubcredit"

# from the bottom; apps in one layer do not import each other either
LAYERS: list[set[str]] = [
    {"rules", "rulebook", "formats"},  # pure rules and rule data
    {"audit"},
    {"accounts"},  # departments, staff and roles: every page below asks who may see it
    {"workdays", "catalog", "jobs"},
    {"subjects"},
    {"records"},
    {"lists"},  # red and black lists: entries derived from records
    {"publicity"},  # reads list entries (名单公示); lists tell it by the list-entries-changed event
    {"ingest"},  # collection: files, forms and API batches become records
    {"evaluation"},  # scores records and list entries; the checks (sanctions) and the draws read its class
    {"sanctions", "repair"},
    {"disclosure"},  # what the public may see: read by the public site and by the credit reports
    {"commitments", "supervision", "reports", "figures", "finance", "incentives", "integrity"},  # read checks
    {"governance"},  # reads every system's figures; the console's inbox shows its digest
    {"portal", "console"},
    {"demo"},
]

KNOWN_DEBT: dict[tuple[str, str], str] = {}


def _app_imports() -> dict[tuple[str, str], list[str]]:
    apps = {p.name for p in SRC.iterdir() if (p / "__init__.py").exists()}
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for app in apps:
        for path in (SRC / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [f"{node.module}.{a.name}" for a in node.names] if node.module == "pubcredit" \
                        else [node.module]
                elif isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                else:
                    continue
                for name in names:
                    parts = name.split(".")
                    if parts[0] == "pubcredit" and len(parts) > 1 and parts[1] in apps and parts[1] != app:
                        edges[(app, parts[1])].append(str(path.relative_to(SRC)))
    return edges


def _layer(app: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if app in layer)


def test_every_app_has_a_layer():
    apps = {p.name for p in SRC.iterdir() if (p / "__init__.py").exists()}
    placed = set().union(*LAYERS)
    assert sorted(apps - placed) == [], "add the new app to LAYERS here and to docs/architecture.md"


def test_apps_import_only_from_layers_below():
    upward = {edge: files for edge, files in _app_imports().items() if _layer(edge[1]) >= _layer(edge[0])}
    new = {f"{a} → {b}": sorted(set(files)) for (a, b), files in upward.items() if (a, b) not in KNOWN_DEBT}
    assert new == {}, "an app imports from its own layer or above (DESIGN.md §3)"
    paid = sorted(f"{a} → {b}" for (a, b) in KNOWN_DEBT if (a, b) not in upward)
    assert paid == [], "this import is gone: remove it from KNOWN_DEBT"
