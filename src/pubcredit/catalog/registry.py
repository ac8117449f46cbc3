"""The loaded catalogue (信息资源目录): every information class of ``rulebook/catalog/``, loaded once and cached.

A class may have several versions (one file each, same ``code``, different ``effective_from``); ``get_class``
returns the version in force on a date (today by default, from the platform clock).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from pubcredit.catalog.schema import InfoClass
from pubcredit.rulebook.loader import RULEBOOK_DIR, RulebookError, load_yaml
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError

CATALOG_DIR = RULEBOOK_DIR / "catalog"


@dataclass(frozen=True)
class Catalogue:
    """Every class version loaded from one directory, and a version string identifying the files."""

    versions: dict[str, tuple[InfoClass, ...]]  # code → versions, oldest effective_from first
    version: str

    def codes(self) -> list[str]:
        return sorted(self.versions)

    def get(self, code: str, on: dt.date) -> InfoClass:
        versions = self.versions.get(code)
        if versions is None:
            known = "、".join(self.codes())
            raise DomainError("catalog.unknown_class", f"未知的信息类：{code}（可用：{known}）",
                              f"unknown information class {code!r} (known: {', '.join(self.codes())})", "class_code")
        in_force = [v for v in versions if v.effective_from <= on]
        if not in_force:
            raise DomainError("catalog.not_in_force", f"信息类{code}在{on.isoformat()}尚未生效",
                              f"information class {code!r} is not in force on {on.isoformat()}", "class_code")
        return in_force[-1]


def _describe(exc: ValidationError, data: object) -> list[str]:
    """Pydantic errors as ``fields[3] (decision_no).lable_zh: unknown key``."""
    out = []
    for err in exc.errors():
        loc = list(err.get("loc", ()))
        parts: list[str] = []
        node = data
        for item in loc:
            if isinstance(item, int):
                parts[-1:] = [f"{parts[-1]}[{item}]"] if parts else [f"[{item}]"]
                node = node[item] if isinstance(node, list) and item < len(node) else None
                if isinstance(node, dict) and isinstance(node.get("key"), str):
                    parts[-1] += f" ({node['key']})"
            else:
                parts.append(str(item))
                node = node.get(item) if isinstance(node, dict) else None
        where = ".".join(parts) or "(top level)"
        if err.get("type") == "extra_forbidden":
            out.append(f"{where}: unknown key")
        elif err.get("type") == "missing":
            out.append(f"{where}: required key missing")
        else:
            out.append(f"{where}: {err.get('msg', 'invalid')}".replace("Value error, ", ""))
    return out


def load_class_file(path: Path) -> InfoClass:
    """Load and check one class file; any problem is a :class:`RulebookError` naming the file and the key."""
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise RulebookError(f"{path.name}: expected a mapping at the top level")
    try:
        return InfoClass.model_validate(data)
    except ValidationError as exc:
        raise RulebookError(f"{path.name}: " + "; ".join(_describe(exc, data))) from exc


def load_catalog(directory: Path | str = CATALOG_DIR) -> Catalogue:
    """Load every ``*.yaml`` class file of ``directory``. Two files with the same code and date are refused."""
    directory = Path(directory)
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise RulebookError(f"{directory}: no catalogue files (*.yaml)")
    by_code: dict[str, list[tuple[InfoClass, str]]] = {}
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        info_class = load_class_file(path)
        for other, other_file in by_code.get(info_class.code, []):
            if other.effective_from == info_class.effective_from:
                raise RulebookError(f"{path.name}: class {info_class.code} effective from "
                                    f"{info_class.effective_from} is also defined in {other_file}")
        by_code.setdefault(info_class.code, []).append((info_class, path.name))
    versions = {code: tuple(c for c, _ in sorted(items, key=lambda item: item[0].effective_from))
                for code, items in by_code.items()}
    label = ",".join(f"{c.rule_version}" for code in sorted(versions) for c in versions[code])
    return Catalogue(versions=versions, version=f"catalog:{label}#{digest.hexdigest()[:12]}")


@cache
def _default() -> Catalogue:
    return load_catalog(CATALOG_DIR)


def reload() -> None:
    """Forget the cached catalogue (after an operator changed the files, and in tests)."""
    _default.cache_clear()


def get_class(code: str, *, on: dt.date | None = None) -> InfoClass:
    """The information class ``code`` in force on ``on`` (default: today). Unknown → ``catalog.unknown_class``."""
    return _default().get(code, on or clock.today())


def all_classes(*, on: dt.date | None = None) -> list[InfoClass]:
    """Every class in force on ``on`` (default: today), ordered by code."""
    catalogue = _default()
    day = on or clock.today()
    out = []
    for code in catalogue.codes():
        try:
            out.append(catalogue.get(code, day))
        except DomainError:
            continue
    return out


def rulebook_version() -> str:
    """``catalog:admin_license@2026.1,admin_penalty@2026.1#1a2b3c4d5e6f``: the loaded files (their versions and a
    hash of their bytes), recorded with every decision that used the catalogue."""
    return _default().version
