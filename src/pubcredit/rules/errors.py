"""The one error shape of the platform: a stable code, a Chinese message for people, an English one for logs."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field


@dataclass(frozen=True)
class Problem:
    """One field-level problem (an error or a warning)."""

    code: str
    message_zh: str
    message_en: str
    field: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"field": self.field, "code": self.code, "message": self.message_zh, "message_en": self.message_en}


@dataclass
class DomainError(Exception):
    """Raised by rules and services for input the platform refuses. ``problems`` lists every field at fault."""

    code: str
    message_zh: str
    message_en: str
    field: str | None = None
    problems: list[Problem] = dc_field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(f"{self.code}: {self.message_en}")
        if not self.problems:
            self.problems = [Problem(self.code, self.message_zh, self.message_en, self.field)]

    @classmethod
    def from_problems(cls, problems: list[Problem]) -> DomainError:
        first = problems[0]
        return cls(first.code, first.message_zh, first.message_en, first.field, list(problems))

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "message": self.message_zh,
            "message_en": self.message_en,
            "fields": [p.as_dict() for p in self.problems],
        }
