"""Which files make up a bank: folders and single files in, bank files and their blueprint out.

A folder that cannot be listed (permission denied) or a symbolic link that loops is reported with
the folder's name, never skipped in silence: a learner whose deck vanished deserves to know why.
Linked folders are followed (a shared deck can be linked into a bank), each real folder once.
Anything with a YAML suffix that is not a folder is returned, FIFOs and devices too, so that reading
it reports what it is instead of the file quietly missing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from quizapp.atomic import reason

YAML_SUFFIXES = (".yaml", ".yml")
BLUEPRINT_NAME = "blueprint.yaml"
LIFECYCLE_NAME = "lifecycle.yaml"
"""The lifecycle registry (content/lifecycle.py): beside the question files, but not one of them."""
NOT_BANK_FILES = (BLUEPRINT_NAME, LIFECYCLE_NAME)


def bundled_root() -> Path:
    """Where the bundled `questions/` and `flashcards/` are: inside the wheel, or the checkout."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "_banks"
    return packaged if packaged.is_dir() else package.parent


def bundled_blueprint_path() -> Path:
    return bundled_root() / "questions" / BLUEPRINT_NAME


def resolved(path: Path) -> Path:
    """The real path where it has one; a link loop (which `resolve` raises on) stays as given."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def default_sources(bank_dirs: Sequence[Path] = ()) -> list[Path]:
    return [bundled_root(), *bank_dirs]


class Source(NamedTuple):
    """A set of bank files and the blueprint they are filed under (None: the bundled one). A tuple
    rather than a dataclass: the bank index (`content.index`) imports this module on Home's way."""

    files: tuple[Path, ...]
    blueprint: Path | None
    problems: tuple[tuple[Path, str], ...] = ()
    """Folders that could not be searched, and why."""


class _Walk:
    """One search of a folder tree: files found, folders that could not be searched."""

    def __init__(self) -> None:
        self.files: list[Path] = []
        self.problems: list[tuple[Path, str]] = []
        self.seen: set[tuple[int, int]] = set()

    def folder(self, folder: Path, ancestors: tuple[tuple[int, int], ...]) -> None:
        try:
            status = folder.stat()
            key = (status.st_dev, status.st_ino)
            if key in ancestors:
                self.problems.append(
                    (folder, "symbolic link loop: this folder links back to a folder it is in")
                )
                return
            if key in self.seen:
                return  # the same folder linked twice: its files are already listed
            self.seen.add(key)
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as exc:
            self.problems.append((folder, f"cannot read folder: {reason(exc)}"))
            return
        for entry in entries:
            path = folder / entry.name
            try:
                is_folder = entry.is_dir()
            except OSError as exc:  # a link that loops on itself: ELOOP
                self.problems.append((path, f"cannot read: {reason(exc)}"))
                continue
            if is_folder:
                self.folder(path, (*ancestors, key))
            elif path.suffix in YAML_SUFFIXES and path.name not in NOT_BANK_FILES:
                self.files.append(path)


def find_bank_files(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Every bank file under `folder` (blueprints and lifecycle registries aside), sorted, and the
    folders that failed."""
    walk = _Walk()
    walk.folder(folder, ())
    return sorted(walk.files), walk.problems


def source_for(path: Path) -> Source:
    """Resolve a bank folder or a single file into the files to read and their blueprint."""
    if path.is_dir():
        questions, flashcards = path / "questions", path / "flashcards"
        files: list[Path] = []
        problems: list[tuple[Path, str]] = []
        if questions.is_dir() or flashcards.is_dir():
            for sub in (questions, flashcards):
                if sub.is_dir():
                    found, failed = find_bank_files(sub)
                    files += found
                    problems += failed
            blueprint = questions / BLUEPRINT_NAME
        else:
            files, problems = find_bank_files(path)
            blueprint = path / BLUEPRINT_NAME
        return Source(tuple(files), blueprint if blueprint.is_file() else None, tuple(problems))
    if path.name == BLUEPRINT_NAME:
        return Source((), path)
    if path.name == LIFECYCLE_NAME:
        return Source((), None)  # validated on its own (content.lifecycle), not as a bank file
    for candidate in (path.parent / BLUEPRINT_NAME, path.parent.parent / "questions" / BLUEPRINT_NAME):
        if candidate.is_file():
            return Source((path,), candidate)
    return Source((path,), None)
