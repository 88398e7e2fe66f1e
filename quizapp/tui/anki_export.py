"""The palette's "Export flashcards for Anki": the same package as `quizapp anki-export`, written
by a thread worker (building a few hundred notes takes a moment) and said in a message."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.tui.text import say

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp


def ask_anki_export(app: QuizApp) -> None:
    if app.catalog is None:
        say(app, "Loading the bank… export in a moment.")
        return
    from quizapp.tui.dialogs.anki_export import AnkiExportDialog

    app.push_screen(AnkiExportDialog(), lambda chosen: _export(app, chosen))


def _export(app: QuizApp, chosen: tuple[Path, bool] | None) -> None:
    if chosen is None or app.catalog is None:
        return
    path, questions = chosen
    banks = list(app.catalog.banks.values())

    def work() -> None:
        from quizapp.atomic import reason
        from quizapp.interop.anki import describe_export, write_package

        try:
            export = write_package(path, banks, questions=questions)
        except OSError as exc:
            text, severity = f"Not exported: cannot write {path}: {reason(exc)}", "error"
        else:
            text = f"Wrote {describe_export(export, questions=questions)} to {path}"
            severity = "information"
        app.call_from_thread(say, app, text, severity=severity, timeout=8)

    say(app, f"Writing {path}…")
    app.run_worker(work, name="anki export", group="anki", thread=True, exclusive=True, exit_on_error=False)
