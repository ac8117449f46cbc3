"""Loading ``rulebook/lists/*.yaml`` into the pure rule's :class:`ListRulebook` (cached, checked against the catalogue)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from pubcredit.catalog.registry import load_catalog
from pubcredit.rulebook.loader import RULEBOOK_DIR, load_yaml
from pubcredit.rules.lists import ListRulebook, ListRulebookError, ListSpec, parse_rulebook
from pubcredit.rules.sanctions import FactSpec

LISTS_DIR = RULEBOOK_DIR / "lists"


def load_rulebook(directory: Path | str = LISTS_DIR) -> ListRulebook:
    """Every list file of ``directory``; a list without a catalogue class of the same code is refused, and so is a
    ``publicity`` block that disagrees with the catalogue (see :func:`publicity_problems`)."""
    directory = Path(directory)
    files = {p.name: load_yaml(p) for p in sorted(directory.glob("*.yaml"))}
    if not files:
        raise ListRulebookError(f"{directory}: no list files (*.yaml)")
    book = parse_rulebook(files)
    catalogue = load_catalog()
    missing = [code for code in book.codes() if code not in catalogue.versions]
    if missing:
        raise ListRulebookError(f"lists without a catalogue class: {', '.join(missing)}")
    problems = publicity_problems(book, catalogue)
    if problems:
        raise ListRulebookError("; ".join(problems))
    return book


def publicity_problems(book: ListRulebook, catalogue) -> list[str]:
    """A list's ``publicity`` block must agree with its catalogue class, so that one switch cannot be flipped without
    the other: published ⇔ the class is ``public``; persons published ⇔ ``public_for_natural_persons``; every public
    field is a field of the class and none is ``sensitive`` (identity numbers are never shown)."""
    problems = []
    for code in book.codes():
        info = catalogue.versions[code][-1]
        keys = {f.key: f for f in info.fields}
        for spec in book.versions[code]:
            rule = spec.publicity
            if rule is None:
                continue
            where = f"list {code} {spec.version} publicity"
            if rule.published != info.public:
                problems.append(f"{where}: published={rule.published} but catalogue public={info.public}")
            if rule.persons_published != info.public_for_natural_persons:
                problems.append(f"{where}: natural_persons={rule.natural_persons} but catalogue "
                                f"public_for_natural_persons={info.public_for_natural_persons}")
            unknown = [k for k in rule.fields if k not in keys]
            if unknown:
                problems.append(f"{where}: fields not in the catalogue class: {', '.join(unknown)}")
            sensitive = [k for k in rule.fields if k in keys and keys[k].sensitive]
            if sensitive:
                problems.append(f"{where}: sensitive fields cannot be public: {', '.join(sensitive)}")
    return problems


@cache
def rulebook() -> ListRulebook:
    return load_rulebook()


def reload() -> None:
    """Forget the cached rulebook (after an operator changed the files, and in tests)."""
    rulebook.cache_clear()
    fact_specs.cache_clear()


def list_codes() -> list[str]:
    return rulebook().codes()


def spec_for(code: str, on) -> ListSpec | None:
    return rulebook().get(code, on)


def published_specs() -> list[ListSpec]:
    """Every version of every list whose entries the public site shows (``publicity.published``)."""
    return [spec for code in rulebook().codes() for spec in rulebook().versions[code]
            if spec.publicity is not None and spec.publicity.published]


def is_list(class_code: str) -> bool:
    """Whether records of ``class_code`` are list entries (the collection pipeline's cheap test before syncing)."""
    return rulebook().is_list(class_code)


# Catalogue field types an entry carries as facts for joint-punishment conditions (rules.sanctions.Conditions).
_FACT_TYPES = ("enum", "multi_enum", "decimal")


@cache
def fact_specs() -> dict[str, dict[str, FactSpec]]:
    """``{list code: {field key: FactSpec}}``: the facts each list class carries into its entries — every enumerated
    or numeric field of its catalogue class (any version) that is not sensitive (listing ground, the penalty behind
    the listing, years unreported…). Measures' conditions may read only these (``sanctions.rulebook``)."""
    catalogue = load_catalog()
    out: dict[str, dict[str, FactSpec]] = {}
    for code in rulebook().codes():
        specs: dict[str, FactSpec] = {}
        for info in catalogue.versions.get(code, ()):
            for f in info.fields:
                if f.type in _FACT_TYPES and not f.sensitive:
                    specs[f.key] = FactSpec(f.key, tuple(v.code for v in f.values), f.type == "decimal")
        out[code] = specs
    return out


def entry_facts(list_code: str, fields: dict[str, Any] | None) -> dict[str, Any]:
    """The facts of one entry from its record's normalised fields: the list class's fact fields that are filled."""
    fields = fields or {}
    facts = {}
    for key in fact_specs().get(list_code, {}):
        value = fields.get(key)
        if value is None or value == "" or value == []:
            continue
        facts[key] = list(value) if isinstance(value, (list, tuple)) else value
    return facts
