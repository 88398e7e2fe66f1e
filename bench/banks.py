"""Synthetic question banks for the benchmarks: any size, every question type, valid by construction.

The bundled bank has a few hundred questions; the load and memory goals are about banks of 10k and
more, which nobody will write by hand. These banks are shaped like the real files (stems of about 200
characters, four or five options that each carry a `why`, an explanation, refs, tags, and a few case
studies per file) so that parse and validation costs per question match the real ones. The YAML is
written from string templates rather than `yaml.dump`, because dumping 50k questions through PyYAML
would take longer than the benchmark it feeds.

A generated folder has no blueprint of its own, so the loader files it under the bundled AIF-C01
blueprint; the task ids come from that blueprint, and the ids (`syn-...`) never collide with bundled
ones, so a synthetic bank can be loaded next to the bundled bank as `--bank-dir` does.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from quizapp.content import bundled_root

_VOCABULARY = (
    "model data training inference endpoint prompt token embedding vector retrieval agent guardrail "
    "bias fairness drift latency throughput cost accuracy recall precision dataset label feature pipeline "
    "bucket policy role encryption audit lineage governance compliance customer support invoice claim "
    "summary translation image video speech transcript chatbot assistant knowledge base chunk index "
    "search ranking fine tuning pretraining distillation evaluation benchmark metric human review "
    "feedback team retailer insurer hospital bank startup analyst engineer scientist manager department "
    "region account workload batch realtime serverless managed custom open source foundation large "
    "small multimodal domain specific private public secure scalable reliable explainable transparent "
    "responsible safe toxic harmful personal sensitive regulated global local weekly monthly quickly "
    "cheaply automatically manually consistently reliably accurately using with without across within "
    "before after during because while which that should could must the a an for from into onto"
)
WORDS = tuple(_VOCABULARY.split())
"""Lowercase letters only, so any run of them is a valid plain YAML scalar."""

FILE_SIZE = 500
"""Questions per file: real files hold a few dozen, but 10k questions in files of 40 would be 250 files."""

CASE_STUDIES_PER_FILE = 4
QUESTIONS_PER_CASE = 3
STANDALONE_TYPES = ("single",) * 6 + ("multi",) * 2 + ("ordering", "matching")
"""Roughly the real mix: mostly single choice, some multi, a few ordering and matching items."""


def task_ids() -> list[str]:
    """The bundled blueprint's task ids, read straight from its YAML (no loader involved)."""
    blueprint = yaml.safe_load((bundled_root() / "questions" / "blueprint.yaml").read_text(encoding="utf-8"))
    return [str(task["id"]) for domain in blueprint["domains"] for task in domain["tasks"]]


@dataclass
class BankInfo:
    """What was written: the folder to pass to the loader, its files and how many of each type."""

    folder: Path
    files: list[Path] = field(default_factory=list)
    questions: int = 0
    case_studies: int = 0
    by_type: Counter[str] = field(default_factory=Counter)

    @property
    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.files)


class _Writer:
    """Emits one file's YAML; `rng` is seeded per file so every run writes the same bytes."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.out: list[str] = []

    # ----------------------------------------------------------------- text

    def words(self, chars: int) -> str:
        """Plain lowercase words up to about `chars` long: always a valid plain YAML scalar."""
        rng, picked, length = self.rng, [], 0
        while length < chars:
            word = rng.choice(WORDS)
            picked.append(word)
            length += len(word) + 1
        return " ".join(picked)

    def sentence(self, chars: int, end: str = ".") -> str:
        text = self.words(chars)
        return text[0].upper() + text[1:] + end

    def distinct(self, n: int, chars: int) -> list[str]:
        """n texts that differ even case-folded, as options, items, prompts and responses must."""
        seen: set[str] = set()
        out: list[str] = []
        while len(out) < n:
            text = self.sentence(chars, end="")
            if text.casefold() not in seen:
                seen.add(text.casefold())
                out.append(text)
        return out

    def block(self, indent: str, key: str, chars: int, end: str = ".") -> None:
        """A `key: |` block scalar wrapped at about 100 columns, the way authors write stems."""
        self.out.append(f"{indent}{key}: |\n")
        line: list[str] = []
        width = 0
        for word in self.sentence(chars, end).split(" "):
            if width + len(word) > 100 and line:
                self.out.append(f"{indent}  {' '.join(line)}\n")
                line, width = [], 0
            line.append(word)
            width += len(word) + 1
        self.out.append(f"{indent}  {' '.join(line)}\n")

    # ----------------------------------------------------------------- items

    def question(self, indent: str, qid: str, kind: str, task: str | None) -> None:
        rng, out = self.rng, self.out
        out.append(f"{indent}- id: {qid}\n")
        inner = indent + "  "
        if task is not None:
            out.append(f'{inner}task: "{task}"\n')
        out.append(f"{inner}type: {kind}\n")
        out.append(f"{inner}tags: [{', '.join(rng.sample(WORDS[:60], 2))}]\n")
        self.block(inner, "stem", 200, "?")
        if kind in ("single", "multi"):
            count = 4 if kind == "single" else 5
            correct = {rng.randrange(count)} if kind == "single" else set(rng.sample(range(count), 2))
            if kind == "multi":
                out.append(f"{inner}choose: 2\n")
            out.append(f"{inner}options:\n")
            for i, text in enumerate(self.distinct(count, 55)):
                out.append(f"{inner}  - text: {text}\n")
                if i in correct:
                    out.append(f"{inner}    correct: true\n")
                out.append(f"{inner}    why: {self.sentence(75)}\n")
        elif kind == "ordering":
            items = self.distinct(rng.randint(4, 6), 30)
            out.append(f"{inner}items:\n")
            out.extend(f"{inner}  - {item}\n" for item in items)
        else:
            texts = self.distinct(2 * 4 + 1, 30)
            prompts, responses, distractor = texts[:4], texts[4:8], texts[8]
            out.append(f"{inner}pairs:\n")
            for prompt, response in zip(prompts, responses, strict=True):
                out.append(f"{inner}  - prompt: {prompt}\n")
                out.append(f"{inner}    response: {response}\n")
            out.append(f"{inner}distractors: [{distractor}]\n")
        self.block(inner, "explanation", 300)
        out.append(f"{inner}refs:\n")
        out.append(f"{inner}  - title: {json.dumps('AWS documentation: ' + self.sentence(50, ''))}\n")
        out.append(
            f"{inner}    url: https://docs.aws.amazon.com/bedrock/latest/userguide/what-is-bedrock.html\n"
        )


def _write_file(path: Path, first: int, count: int, tasks: list[str], seed: int, info: BankInfo) -> None:
    """One file of `count` questions numbered from `first`, a few of them inside case studies."""
    writer = _Writer(random.Random(seed))
    rng = writer.rng
    case_studies = min(CASE_STUDIES_PER_FILE, (count - 1) // (QUESTIONS_PER_CASE * 10))
    standalone = count - case_studies * QUESTIONS_PER_CASE
    writer.out.append("questions:\n")
    for n in range(first, first + standalone):
        kind = rng.choice(STANDALONE_TYPES)
        writer.question("  ", f"syn-{n:06d}", kind, rng.choice(tasks))
        info.by_type[kind] += 1
    if case_studies:
        writer.out.append("\ncase_studies:\n")
    for c in range(case_studies):
        case_id = f"syn-cs-{first + c:06d}"
        writer.out.append(f"  - id: {case_id}\n")
        writer.out.append(f'    task: "{rng.choice(tasks)}"\n')
        writer.out.append("    tags: [case-study]\n")
        writer.block("    ", "scenario", 600)
        writer.out.append("    questions:\n")
        for j in range(QUESTIONS_PER_CASE):
            kind = ("single", "multi", "ordering", "matching")[(c + j) % 4]
            writer.question("      ", f"{case_id}-q{j + 1}", kind, None)
            info.by_type[kind] += 1
    path.write_text("".join(writer.out), encoding="utf-8")
    info.files.append(path)
    info.questions += count
    info.case_studies += case_studies


def write_bank(folder: Path, questions: int, *, per_file: int = FILE_SIZE, seed: int = 2026) -> BankInfo:
    """Write `questions` questions as `folder/questions/part-NNN.yaml`, `per_file` to a file."""
    target = folder / "questions"
    target.mkdir(parents=True, exist_ok=True)
    info = BankInfo(folder)
    tasks = task_ids()
    for index, first in enumerate(range(0, questions, per_file)):
        count = min(per_file, questions - first)
        _write_file(target / f"part-{index:03d}.yaml", first, count, tasks, seed + index, info)
    return info
