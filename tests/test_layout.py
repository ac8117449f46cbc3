"""Project conventions that a grep can hold: pure rules, writes only in services, one clock."""

import ast
import pathlib
import re

SRC = pathlib.Path(__file__).resolve().parent.parent / "src" / "pubcredit"


def test_rules_import_no_django():
    for path in (SRC / "rules").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(n.split(".")[0] == "django" or n.startswith("pubcredit.") and not n.startswith("pubcredit.rules")
                           for n in names), f"{path.name} imports {names}"


WRITE_CALL = re.compile(r"\.(save|delete|bulk_create|bulk_update|update_or_create|get_or_create)\(|\.objects\.(create|update)\(")


def test_views_endpoints_and_commands_never_write_models():
    offenders = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC)
        edge = path.name in {"views.py", "api.py", "tasks.py"} or "commands" in rel.parts
        if edge and WRITE_CALL.search(path.read_text(encoding="utf-8")):
            offenders.append(str(rel))
    assert offenders == []


def test_only_the_clock_asks_for_today():
    offenders = [str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
                 if p.name != "clock.py" and re.search(r"date\.today\(\)|datetime\.now\(|timezone\.now\(", p.read_text(encoding="utf-8"))]
    assert offenders == []
