"""Located problems: how every bank error reaches the author, as `path:line:column: message`.

A file name and a message can carry what a bank author wrote (an id, a key, a name), so the printed
forms escape anything that could act on a terminal (`\\x1b`); the fields keep the real values.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import NamedTuple

from quizapp.textsafe import escape


class Location(NamedTuple):
    """Where an item is written; a tuple because a big bank makes one per item on every load."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{escape(self.path)}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a bank file; line and column are 1-based."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{escape(self.path)}:{self.line}:{self.column}: {escape(self.message)}"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class BankError(Exception):
    """Raised by strict loading: every problem found, never just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(map(str, self.problems)))
