"""Reading rulebook YAML files (规则库). Unknown keys and duplicates are refused, never ignored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

RULEBOOK_DIR = Path(__file__).resolve().parent


class RulebookError(ValueError):
    """A rulebook file that cannot be used as it is."""


def load_yaml(relative_path: str | Path) -> Any:
    path = Path(relative_path)
    if not path.is_absolute():
        path = RULEBOOK_DIR / path
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except (OSError, yaml.YAMLError) as exc:
        raise RulebookError(f"{path.name}: {exc}") from exc
