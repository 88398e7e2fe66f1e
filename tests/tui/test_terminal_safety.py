"""Bank text is data, never terminal control: a hostile bank forced past the loader draws as plain
characters, and its links open only web pages, after the learner has seen the URL."""

from __future__ import annotations

import os
import pty
import select
import signal
import struct
import sys
import time
from pathlib import Path

import pytest

from quizapp.content import Bank, Problem
from tests.factory import make_bank
from tests.tui.helpers import build, open_flashcards, open_practice, ready

SIZE = (80, 24)
OSC52 = "\x1b]52;c;UFdORUQ=\x07"  # write "PWNED" to the clipboard
TITLE = "\x1b]0;PWNED\x07"
RESET = "\x1bc"  # clear the screen (full reset)
BIDI = "\u202e"
EVIL = f"{OSC52}{TITLE}{RESET}{BIDI}[bold]x[/]"
HOSTILE_LINKS = (
    "See [passwd](/etc/passwd), [code](vscode://file/etc/passwd), <file:///etc/passwd>, "
    "![share](smb://host/share) and [docs](https://example.com/docs)."
)


def hostile_bank(links: str = "") -> Bank:
    """Every text a learner sees carries escapes; built in memory (the loader would refuse it):
    `model_copy` does not validate, as a bank that slipped past the loader would not be."""
    bank = make_bank(per_task=1, cards_per_task=1, case_studies=0)
    for qid in [qid for qid, q in bank.questions.items() if q.type != "single"]:
        del bank.questions[qid]
    for qid, q in list(bank.questions.items()):
        options = [o.model_copy(update={"text": f"OPTION{EVIL}", "why": f"WHY{EVIL}"}) for o in q.options]
        bank.questions[qid] = q.model_copy(
            update={
                "stem": f"STEM{EVIL} {links}",
                "explanation": f"EXPLAINED{EVIL} {links}",
                "refs": [f"REFERENCE{EVIL}"],
                "options": options,
                "tags": [f"TAG{EVIL}"] * 3,
            }
        )
    for cid, card in list(bank.flashcards.items()):
        update = {"front": f"FRONT{EVIL}", "back": f"BACK{EVIL} {links}"}
        bank.flashcards[cid] = card.model_copy(update=update)
        bank.deck_of[cid] = f"DECK{EVIL}"
    return bank


def drawn(app) -> str:  # noqa: ANN001
    """The characters the current screen sends to the terminal, from its compositor's strips."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def assert_clean(text: str, *visible: str) -> None:
    for payload in ("\x1b", "\x07", BIDI):
        assert payload not in text, (payload, text)
    for word in visible:
        assert word in text, (word, text)


async def test_hostile_bank_text_reaches_the_screen_as_plain_characters(tmp_path):
    bad = Problem(f"bank{EVIL}.yaml", 1, 1, f"PROBLEM{EVIL}")
    app = build(tmp_path, hostile_bank(), problems=[bad])
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(400):
            await pilot.pause()
            if type(app.screen).__name__ == "ProblemsDialog":
                break
        assert_clean(drawn(app), "PROBLEM", "[bold]x[/]")
        await pilot.press("enter")
        await ready(pilot)
        await open_practice(pilot)
        assert_clean(drawn(app), "STEM", "OPTION", "[bold]x[/]")
        await pilot.press("1", "enter")
        await pilot.pause()
        await pilot.pause()
        assert_clean(drawn(app), "STEM", "WHY", "EXPLAINED", "REFERENCE")
        await pilot.press("escape", "escape")
        await ready(pilot)
        await pilot.press("f")
        await ready(pilot, "PickDialog")
        assert_clean(drawn(app), "DECK")
        await pilot.press("enter")
        await ready(pilot, "FlashcardScreen")
        await pilot.press("space")
        await pilot.pause()
        await pilot.pause()
        assert_clean(drawn(app), "FRONT", "BACK")


def _clickable(markdown) -> list[str]:  # noqa: ANN001
    """The targets of every clickable span in a Markdown widget's blocks."""
    from textual.widgets.markdown import MarkdownBlock

    targets = []
    for block in markdown.query(MarkdownBlock):
        for span in block._content.spans:
            meta = getattr(span.style, "meta", None) or {}
            if "@click" in meta:
                targets.append(meta["@click"])
    return targets


async def test_only_web_links_are_links_and_they_open_after_the_url_is_shown(tmp_path, monkeypatch):
    app = build(tmp_path, hostile_bank(HOSTILE_LINKS))
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_practice(pilot)
        stem = app.screen.query_one(".stem")
        assert _clickable(stem) == ["link('https://example.com/docs')"]
        text = drawn(app)
        assert "[passwd](/etc/passwd)" in text and "<file:///etc/passwd>" in text  # shown as written
        paragraph = stem.query("MarkdownBlock").first()
        await paragraph.action_link("https://example.com/docs")  # what a click on the link runs
        await ready(pilot, "ConfirmDialog")
        assert "https://example.com/docs" in drawn(app)
        await pilot.press("n")
        await ready(pilot, "PracticeScreen")
        assert opened == []
        await paragraph.action_link("https://example.com/docs")
        await ready(pilot, "ConfirmDialog")
        await pilot.press("y")
        await ready(pilot, "PracticeScreen")
        assert opened == ["https://example.com/docs"]
        for forged in ("/etc/passwd", "file:///etc/passwd", "vscode://file/x", "smb://host/s", "https://"):
            await paragraph.action_link(forged)  # a link that got past the parser somehow
            await pilot.pause()
            assert type(app.screen).__name__ == "PracticeScreen"
        assert opened == ["https://example.com/docs"]
        await pilot.press("1", "enter")  # the explanation is bank Markdown too
        await pilot.pause()
        await pilot.pause()
        assert _clickable(app.screen.query_one(".explanation")) == ["link('https://example.com/docs')"]
        await pilot.press("escape", "escape")
        await ready(pilot)
        await open_flashcards(pilot, reveal=True)
        assert _clickable(app.screen.query_one(".back")) == ["link('https://example.com/docs')"]


# ---------------------------------------------------------------------- the real terminal's bytes

HOSTILE_APP = """
import sys
from pathlib import Path
from quizapp.content import Catalog, Problem
from quizapp.study import ManualClock
from quizapp.tui.app import make_app
from tests.factory import START
from tests.tui.test_terminal_safety import EVIL, HOSTILE_LINKS, hostile_bank

problem = Problem("bank" + EVIL + ".yaml", 1, 1, "PROBLEM" + EVIL)
catalog = Catalog(banks={"AIF-C01": hostile_bank(HOSTILE_LINKS)}, problems=[problem])
make_app(data_dir=Path(sys.argv[1]), catalog=catalog, clock=ManualClock(START), fuzz=False).run()
"""

# (wait until the output shows this, then press that): through the problems dialog, a practice
# question and its feedback, then a flashcard's front and back.
STEPS = [
    (b"PROBLEM", b"\r"),
    (b"Pass chance", b"p"),
    (b"Practise what", b"\r"),
    (b"STEM", b"1"),
    (b"OPTION", b"\r"),
    (b"EXPLAINED", b"\x1b"),
    (b"Session complete", b"\x1b"),
    (b"[f] Flashcards", b"f"),
    (b"Which flashcards", b"\r"),
    (b"FRONT", b" "),
    (b"BACK", b""),
]


def _run_in_a_terminal(data_dir: Path, deadline_s: float) -> tuple[bytes, list[bytes]]:
    """Run the hostile app on a pseudo-terminal (80x24, xterm-256color), press through STEPS; return
    every byte it wrote and the markers never seen."""
    import fcntl
    import termios

    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="80", LINES="24", PYTHONPATH=str(root))
    env.pop("TEXTUAL", None)
    pid, fd = pty.fork()
    if pid == 0:  # the child: the app, on the terminal's side
        os.chdir(root)
        os.execve(sys.executable, [sys.executable, "-c", HOSTILE_APP, str(data_dir)], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    out = bytearray()
    steps = list(STEPS)
    seen_from = 0
    end = time.monotonic() + deadline_s
    try:
        while steps and time.monotonic() < end:
            ready_to_read, _, _ = select.select([fd], [], [], 0.1)
            if ready_to_read:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
            marker, key = steps[0]
            found = out.find(marker, seen_from)
            if found >= 0:
                seen_from = found + len(marker)
                steps.pop(0)
                if key:
                    time.sleep(0.2)  # let the screen settle before the key, as a person would
                    os.write(fd, key)
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    return bytes(out), [marker for marker, _ in steps]


@pytest.mark.slow
def test_hostile_bank_writes_no_escape_sequence_of_its_own_to_the_terminal(tmp_path):
    out, missed = _run_in_a_terminal(tmp_path / "data", deadline_s=60)
    assert not missed, f"never saw {missed}; last output: {out[-400:]!r}"
    for payload in (OSC52, TITLE, RESET, BIDI, "\x1b]52", "\x1b]0;", "\x1b]8;"):
        assert payload.encode() not in out, payload
    for visible in (b"PROBLEM", b"STEM", b"OPTION", b"WHY", b"EXPLAINED", b"FRONT", b"BACK", b"DECK"):
        assert visible in out, visible
