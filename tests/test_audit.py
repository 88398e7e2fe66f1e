"""bench/audit.py: the option-only sheet hides what it must, and scoring counts right and wrong."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

from quizapp.content import bundled_root, load_catalog

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("bench_audit", ROOT / "bench" / "audit.py")
assert _spec and _spec.loader
audit = importlib.util.module_from_spec(_spec)
sys.modules["bench_audit"] = audit  # dataclasses look their module up while the module runs
_spec.loader.exec_module(audit)


def _answers(key: dict, wrong: bool) -> str:
    lines = []
    for number, item in key["items"].items():
        letters = item["key"]
        if wrong:  # the first letters that are not the key, as many as the key has
            letters = [c for c in audit.LETTERS[: item["options"]] if c not in letters][: len(letters)]
        lines.append(f"{number}: {', '.join(letters)}")
    return "\n".join(lines) + "\n"


def _overall(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith("overall"))


def test_sheet_then_score_end_to_end(tmp_path, capsys):
    out = tmp_path / "audit"
    assert audit.main(["sheet", "--seed", "11", "--count", "120", "--out", str(out)]) == 0
    sheet = (out / "sheet.md").read_text(encoding="utf-8")
    key = json.loads((out / "key.json").read_text(encoding="utf-8"))
    assert key["seed"] == 11 and key["mode"] == "options-only" and len(key["items"]) == 120
    assert key["bank"]["exam"] == "AIF-C01" and len(key["bank"]["questions_sha256"]) == 64

    bank = load_catalog([bundled_root()]).primary
    sampled = [bank.questions[item["id"]] for item in key["items"].values()]
    assert {q.type for q in sampled} <= {"single", "multi"} and len({q.id for q in sampled}) == 120
    assert sheet.count("\n## ") == 120
    for q in sampled:
        assert q.id not in sheet
        assert " ".join(q.stem.split())[:60] not in " ".join(sheet.split())
        assert q.explanation.strip()[:60] not in sheet
        for option in q.options:
            assert option.text.strip() in sheet
            assert option.why.strip() not in sheet
    assert "choose 1" in sheet and re.search(r"choose [2-9]", sheet)

    perfect, wrong = tmp_path / "perfect.txt", tmp_path / "wrong.txt"
    perfect.write_text(_answers(key, wrong=False), encoding="utf-8")
    wrong.write_text(_answers(key, wrong=True), encoding="utf-8")
    capsys.readouterr()
    assert audit.main(["score", "--key", str(out / "key.json"), "--answers", str(perfect)]) == 0
    text = capsys.readouterr().out
    assert re.search(r"120/120\s+100\.0%\s+95% CI\s+96\.9% - 100\.0%\s+chance", _overall(text))
    assert "domain 1" in text and "type single" in text and "type multi" in text
    assert audit.main(["score", "--key", str(out / "key.json"), "--answers", str(wrong)]) == 0
    assert re.search(r"\b0/120\s+0\.0%", _overall(capsys.readouterr().out))


def test_full_mode_shows_stems_for_the_same_sample_and_still_no_key(tmp_path):
    assert audit.main(["sheet", "--seed", "5", "--count", "120", "--out", str(tmp_path / "a")]) == 0
    assert audit.main(["full", "--seed", "5", "--count", "120", "--out", str(tmp_path / "b")]) == 0
    options_only = json.loads((tmp_path / "a" / "key.json").read_text())
    full = json.loads((tmp_path / "b" / "key.json").read_text())
    assert full["mode"] == "full" and full["items"] == options_only["items"]
    sheet = (tmp_path / "b" / "sheet.md").read_text(encoding="utf-8")
    bank = load_catalog([bundled_root()]).primary
    for item in full["items"].values():
        q = bank.questions[item["id"]]
        assert q.stem.strip().splitlines()[0] in sheet
        assert q.id not in sheet and q.explanation.strip()[:60] not in sheet
        assert not [o.why for o in q.options if o.why.strip() in sheet]


def test_answers_are_read_leniently_and_wilson_is_the_textbook_interval():
    assert audit.read_answers("1: B\n2: a, c\n3) AC\nnotes\n") == {
        "1": {"B"},
        "2": {"A", "C"},
        "3": {"A", "C"},
    }
    low, high = audit.wilson(9, 10)
    assert round(low, 3) == 0.596 and round(high, 3) == 0.982
