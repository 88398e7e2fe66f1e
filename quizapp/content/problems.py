"""Located problems: how every bank error reaches the author, as `path:line:column: message`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import NamedTuple


class Location(NamedTuple):
    """Where an item is written; a tuple because a big bank makes one per item on every load."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a bank file; line and column are 1-based."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class BankError(Exception):
    """Raised by strict loading: every problem found, never just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(map(str, self.problems)))
