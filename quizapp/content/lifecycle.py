"""The lifecycle registry: which AWS services and models the bank names, and whether AWS still offers them.

AWS retires things (a Bedrock model goes Legacy with an end-of-life date; a service closes to new
customers and points them elsewhere; a service is renamed). Items written a year ago then recommend
for new work what a new customer can no longer use. `questions/lifecycle.yaml` records each service's
and model's status, the date it was checked and the AWS page that says so; a test reads it and names
every item that keys a retired name, so one changed line in the registry lists every item to revisit.

The registry is not a bank file: discovery skips it (like blueprint.yaml) and it is validated here,
with its own models and the same located `path:line:column: message` problems as a bank file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, model_validator
from pydantic import Strict as StrictType
from pydantic_core import PydanticCustomError

from quizapp.content import yamlsafe
from quizapp.content.discovery import LIFECYCLE_NAME
from quizapp.content.locate import problems_from
from quizapp.content.models import DocUrl, Strict, Text
from quizapp.content.problems import Problem
from quizapp.reading import Refused, read_bounded

STATUSES = ("active", "legacy", "closed", "renamed")

IsoDate = Annotated[date, StrictType()]
"""An unquoted YAML date (2026-12-01): YAML reads only ISO dates as dates, and strict mode refuses
strings, numbers (pydantic would read 5 as a Unix time) and date-times."""


class LifecycleEntry(Strict):
    """One AWS service or model and its status, as AWS documentation stated it on `checked`."""

    name: Text = Field(description="The name as AWS writes it, e.g. 'Amazon Nova Reel'.")
    kind: Literal["service", "model", "feature"] = "service"
    aliases: list[Text] = Field(
        default_factory=list, description="Other names items use for it ('Q Business', 'A2I')."
    )
    status: Literal["active", "legacy", "closed", "renamed"]
    eol: IsoDate | None = Field(default=None, description="legacy: the end-of-life date AWS states.")
    closed_since: IsoDate | None = Field(
        default=None, description="closed: since when new customers cannot start (when AWS states it)."
    )
    instead: Text | None = Field(default=None, description="closed: what AWS points new customers to.")
    renamed_to: Text | None = Field(default=None, description="renamed: the current name.")
    checked: IsoDate = Field(description="When the status was last checked against `url`.")
    url: DocUrl = Field(description="The AWS documentation page that states the status.")
    note: Text | None = Field(default=None, description="Anything a reviewer should know (sources, doubts).")

    @model_validator(mode="after")
    def _fields_fit_status(self) -> LifecycleEntry:
        # Each status has its own facts; a fact of another status is a mistake (a model marked active
        # with an EOL date is either legacy or wrong), so it is refused rather than ignored.
        needed = {"legacy": "eol", "renamed": "renamed_to"}.get(self.status)
        if needed and getattr(self, needed) is None:
            raise PydanticCustomError(
                "lifecycle_missing", "status {status} needs '{key}'", {"status": self.status, "key": needed}
            )
        allowed = {"legacy": {"eol"}, "closed": {"closed_since", "instead"}, "renamed": {"renamed_to"}}
        for key in ("eol", "closed_since", "instead", "renamed_to"):
            if getattr(self, key) is not None and key not in allowed.get(self.status, set()):
                raise PydanticCustomError(
                    "lifecycle_extra",
                    "'{key}' does not belong to status {status}",
                    {"key": key, "status": self.status},
                )
        if self.status == "closed" and self.closed_since is None and self.note is None:
            raise PydanticCustomError(
                "lifecycle_closed", "status closed needs 'closed_since', or a 'note' saying why it has none"
            )
        return self

    @property
    def names(self) -> list[str]:
        """The name and every alias: what an item may call it."""
        return [self.name, *self.aliases]

    @property
    def retired(self) -> bool:
        """Not for new work: a new customer cannot start using it (legacy or closed)."""
        return self.status in ("legacy", "closed")


class LifecycleFile(Strict):
    """`questions/lifecycle.yaml`."""

    lifecycle: list[LifecycleEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _names_unique(self) -> LifecycleFile:
        seen: dict[str, str] = {}
        for entry in self.lifecycle:
            for name in entry.names:
                key = name.casefold()
                if key in seen:
                    raise PydanticCustomError(
                        "lifecycle_duplicate",
                        "name '{name}' of '{entry}' is already used by '{first}'",
                        {"name": name, "entry": entry.name, "first": seen[key]},
                    )
                seen[key] = entry.name
        return self


@dataclass
class Lifecycle:
    """A registry read from a file: its valid entries and every located problem."""

    entries: list[LifecycleEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def retired(self) -> list[LifecycleEntry]:
        return [e for e in self.entries if e.retired]


def name_pattern(names: list[str]) -> re.Pattern[str]:
    """A pattern that finds any of `names` as whole words, case as written (names are proper nouns, and
    'clarify' the verb is not 'Clarify' the service); 'Nova Sonic' does not match 'Nova 2 Sonic'."""
    alternatives = sorted(names, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in alternatives) + r")(?![\w-])")


def load_lifecycle(path: Path, shown: str | None = None) -> Lifecycle:
    """Read and validate a registry; problems are located, never raised. `shown` names the file in them."""
    shown = shown if shown is not None else str(path)
    result = Lifecycle()

    def problem(line: int, column: int, message: str) -> None:
        result.problems.append(Problem(shown, line, column, message))

    try:
        raw, _ = read_bounded(path, yamlsafe.MAX_FILE_BYTES, "registries")
        parsed = yamlsafe.parse(yamlsafe.decode(raw))
    except Refused as exc:
        problem(1, 1, exc.message)
        return result
    except yamlsafe.YamlProblem as exc:
        problem(exc.line, exc.column, exc.message)
        return result
    except yamlsafe.YamlRefused as exc:
        for p in exc.problems:
            problem(p.line, p.column, p.message)
        return result
    for p in (*parsed.duplicate_keys, *parsed.unsafe_text):
        problem(p.line, p.column, p.message)
    if not isinstance(parsed.data, dict):
        mark = parsed.root.start_mark
        problem(
            mark.line + 1, mark.column + 1, "top level must be a mapping with 'lifecycle': a list of entries"
        )
        return result
    try:
        result.entries = list(LifecycleFile.model_validate(parsed.data).lifecycle)
    except ValidationError as exc:
        skip = parsed.unsafe_at
        result.problems.extend(
            p
            for p in problems_from(exc, parsed.root, shown, (LifecycleFile, LifecycleEntry))
            if (p.line, p.column) not in skip
        )
        raw_entries = parsed.data.get("lifecycle")
        if isinstance(raw_entries, list):  # keep the valid entries of a file with invalid ones
            for raw_entry in raw_entries:
                try:
                    result.entries.append(LifecycleEntry.model_validate(raw_entry))
                except ValidationError:
                    continue
    result.problems.sort()
    return result


def lifecycle_files(paths: list[Path]) -> list[Path]:
    """The registries of the given bank folders and files: `questions/lifecycle.yaml` in a bank folder,
    `lifecycle.yaml` in a folder of question files, or a registry named on its own."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            candidates = [path / "questions" / LIFECYCLE_NAME, path / LIFECYCLE_NAME]
            found += [c for c in candidates if c.is_file()][:1]
        elif path.name == LIFECYCLE_NAME:
            found.append(path)
    return list(dict.fromkeys(found))
