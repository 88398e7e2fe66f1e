"""An option-only audit of the bank you can rerun: how far the options alone give the key away.

A reader who sees only the shuffled options of an item, never its stem, should not beat chance by
much; if they do, the options answer themselves and every score quizapp shows is inflated. This
writes a sheet of a random sample (the seed on the command line, so anyone can redo it), keeps the
key apart, and scores a reader's answers against it:

    python bench/audit.py sheet --seed 7 --count 120 --out DIR     # DIR/sheet.md, DIR/key.json
    python bench/audit.py full  --seed 8 --out DIR                 # the same, with stems (blind full audit)
    python bench/audit.py score --key DIR/key.json --answers FILE  # FILE: "1: B" / "2: A,C" per line

The sheet carries no stem (in `sheet` mode), no id, no why and no explanation: only what the reader
is meant to see. The reader answers from the sheet alone, never the key, the bank or the stems.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quizapp.content import Bank, MultiQuestion, SingleQuestion, bundled_root, load_catalog  # noqa: E402

LETTERS = "ABCDEFGHIJ"
Z95 = 1.959963984540054


def load_bank(folder: Path) -> Bank:
    """The bank to sample; the bundled one unless told otherwise (items with problems are left out)."""
    return load_catalog([folder]).primary


def bank_version(bank: Bank, folder: Path) -> dict[str, str]:
    """What the sample was drawn from: the exam, its guide version and a hash of the question files."""
    digest = hashlib.sha256()
    for path in sorted((folder / "questions").glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return {
        "exam": bank.exam,
        "guide_version": bank.blueprint.version or "",
        "questions_sha256": digest.hexdigest(),
    }


def sample(bank: Bank, seed: int, count: int) -> list[tuple[SingleQuestion | MultiQuestion, list[int]]]:
    """`count` single/multi questions at random, each with its options in a shuffled order (seeded)."""
    rng = random.Random(seed)
    ids = sorted(q.id for q in bank.questions.infos() if q.type in ("single", "multi"))
    if len(ids) < count:
        raise SystemExit(f"the bank has {len(ids)} single/multi questions, fewer than --count {count}")
    picked = []
    for qid in rng.sample(ids, count):
        question = bank.questions[qid]
        assert isinstance(question, SingleQuestion | MultiQuestion)
        order = list(range(len(question.options)))
        rng.shuffle(order)
        picked.append((question, order))
    return picked


def write_sheet(bank: Bank, folder: Path, seed: int, count: int, out: Path, *, stems: bool) -> None:
    """DIR/sheet.md for the reader and DIR/key.json for the scorer."""
    items = sample(bank, seed, count)
    mode = "full" if stems else "options-only"
    lines = [
        f"# quizapp audit sheet ({mode}, seed {seed}, {count} items)",
        "",
        "Answer each item on its own line as `number: letters`, e.g. `1: B` or `2: A,C`.",
        "",
    ]
    key: dict[str, dict[str, object]] = {}
    for number, (question, order) in enumerate(items, start=1):
        choose = question.choose if isinstance(question, MultiQuestion) else 1
        lines.append(f"## {number}. choose {choose}")
        lines.append("")
        if stems:
            scenario = bank.scenario_of(question.id)
            if scenario:
                lines += [f"> {line}" for line in scenario.strip().splitlines()] + [""]
            lines += [question.stem.strip(), ""]
        for letter, original in zip(LETTERS, order, strict=False):
            lines.append(f"- {letter}. {question.options[original].text.strip()}")
        lines.append("")
        key[str(number)] = {
            "id": question.id,
            "type": question.type,
            "task": question.task,
            "domain": bank.blueprint.domain_of(question.task),
            "options": len(order),
            "choose": choose,
            "key": [LETTERS[row] for row, original in enumerate(order) if question.options[original].correct],
        }
    out.mkdir(parents=True, exist_ok=True)
    (out / "sheet.md").write_text("\n".join(lines), encoding="utf-8")
    document = {"mode": mode, "seed": seed, "count": count, "bank": bank_version(bank, folder), "items": key}
    (out / "key.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out / 'sheet.md'} (give this to the reader) and {out / 'key.json'} (keep it apart)")


ANSWER = re.compile(r"^\s*(\d+)\s*[:.)]\s*([A-Za-z](?:\s*[,; ]?\s*[A-Za-z])*)\s*$")


def read_answers(text: str) -> dict[str, set[str]]:
    """`1: B` / `2: A,C` per line (case and spacing free); anything else is ignored."""
    answers: dict[str, set[str]] = {}
    for line in text.splitlines():
        match = ANSWER.match(line)
        if match:
            answers[match.group(1)] = {c.upper() for c in match.group(2) if c.isalpha()}
    return answers


def wilson(right: int, n: int) -> tuple[float, float]:
    """The 95 % Wilson score interval of a share: honest at small n and near 0 or 100 %."""
    if n == 0:
        return (0.0, 0.0)
    p = right / n
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass
class Tally:
    right: int = 0
    total: int = 0
    chance: float = 0.0

    def line(self, name: str) -> str:
        low, high = wilson(self.right, self.total)
        share = self.right / self.total if self.total else 0.0
        chance = self.chance / self.total if self.total else 0.0
        return (
            f"{name:<14} {self.right:>4}/{self.total:<4} {share:6.1%}   "
            f"95% CI {low:6.1%} - {high:6.1%}   chance {chance:6.1%}"
        )


def score(key_path: Path, answers_path: Path) -> int:
    document = json.loads(key_path.read_text(encoding="utf-8"))
    answers = read_answers(answers_path.read_text(encoding="utf-8"))
    overall = Tally()
    groups: dict[str, Tally] = defaultdict(Tally)
    missing = []
    for number, item in document["items"].items():
        given = answers.get(number)
        if given is None:
            missing.append(number)
        right = given == set(item["key"])
        chance = 1 / math.comb(item["options"], item["choose"])
        for tally in (overall, groups[f"domain {item['domain']}"], groups[f"type {item['type']}"]):
            tally.right += right
            tally.total += 1
            tally.chance += chance
    bank = document["bank"]
    print(
        f"{document['mode']} audit, seed {document['seed']}, {bank['exam']} guide {bank['guide_version']}, "
        f"questions {bank['questions_sha256'][:12]}"
    )
    print(overall.line("overall"))
    for name in sorted(groups):
        print(groups[name].line(name))
    if missing:
        print(f"unanswered (counted wrong): {', '.join(missing)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("sheet", "options only, no stems"), ("full", "stems and options, no key")):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--seed", type=int, required=True)
        sub.add_argument("--count", type=int, default=120)
        sub.add_argument("--out", type=Path, required=True)
        sub.add_argument("--bank", type=Path, default=None, help="bank folder (default: the bundled bank)")
    sub = commands.add_parser("score", help="score an answer file against a key")
    sub.add_argument("--key", type=Path, required=True)
    sub.add_argument("--answers", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.command == "score":
        return score(args.key, args.answers)
    if args.count < 1:
        parser.error("--count must be at least 1")
    folder = args.bank or bundled_root()
    write_sheet(load_bank(folder), folder, args.seed, args.count, args.out, stems=args.command == "full")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
