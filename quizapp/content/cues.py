"""Cues a test-wise reader uses to pick the key without knowing the subject, measured over a bank.

An item whose options give the key away measures test-taking skill, not knowledge, and inflates
every score and readiness figure built on it. These are the cues the bank-format guide forbids
("Writing distractors"), counted so that a test can hold the bundled bank to them and an author can
find the items to rewrite: `python -m quizapp.content.cues [PATH ...] [--items]`.

- The key is the unique shortest or unique longest option of a single-answer item; and the other way
  round, a key that is never either (a reader who strikes out the extremes halves the choice).
- The keys of a multiple-response item are exactly its N longest (or N shortest) options.
- Absolute words (always, only, never, ...) that distractors carry more often than keys.
- A reason clause ("because ...") carried only by distractors.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from quizapp.content.models import AnyQuestion, MultiQuestion, SingleQuestion

ABSOLUTE = re.compile(
    r"\b(always|only|never|every|all|guarantees?|guaranteed|forever|entirely|ignores?|ignoring|"
    r"skips?|skipping|avoids?|avoiding|completely|none|no one|nothing)\b",
    re.IGNORECASE,
)
REASON = re.compile(r"\b(because|since|so that|as it|which means)\b", re.IGNORECASE)


@dataclass
class DomainCues:
    single: int = 0
    key_shortest: int = 0
    key_longest: int = 0
    multi: int = 0
    keys_longest: int = 0
    keys_shortest: int = 0
    key_options: int = 0
    distractor_options: int = 0
    key_absolute: int = 0
    distractor_absolute: int = 0

    def shortest_share(self) -> float:
        return self.key_shortest / self.single if self.single else 0.0

    def longest_share(self) -> float:
        return self.key_longest / self.single if self.single else 0.0

    def middle_share(self) -> float:
        """Single items whose key is neither the unique shortest nor the unique longest option:
        about half when lengths carry no cue (four options)."""
        return 1 - self.shortest_share() - self.longest_share() if self.single else 0.0

    def multi_longest_share(self) -> float:
        return self.keys_longest / self.multi if self.multi else 0.0

    def multi_shortest_share(self) -> float:
        return self.keys_shortest / self.multi if self.multi else 0.0

    def absolute_ratio(self) -> float:
        """How many times more often a distractor carries an absolute word than a key (per option)."""
        key_rate = (self.key_absolute + 0.5) / (self.key_options + 1)
        distractor_rate = (self.distractor_absolute + 0.5) / (self.distractor_options + 1)
        return distractor_rate / key_rate


@dataclass
class CueReport:
    by_domain: dict[str, DomainCues] = field(default_factory=lambda: defaultdict(DomainCues))
    flagged: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    """Question id -> the cues it shows, for an author to revisit."""

    def total(self) -> DomainCues:
        out = DomainCues()
        for cues in self.by_domain.values():
            for name in vars(out):
                setattr(out, name, getattr(out, name) + getattr(cues, name))
        return out


def _length(text: str) -> int:
    return len(" ".join(text.split()))


def measure(questions: Iterable[tuple[str, AnyQuestion]]) -> CueReport:
    """Cues over (domain, question) pairs; only single and multi items have options to read."""
    report = CueReport()
    for domain, q in questions:
        if not isinstance(q, SingleQuestion | MultiQuestion):
            continue
        cues = report.by_domain[domain]
        keys = [o for o in q.options if o.correct]
        distractors = [o for o in q.options if not o.correct]
        key_abs = sum(bool(ABSOLUTE.search(o.text)) for o in keys)
        dis_abs = sum(bool(ABSOLUTE.search(o.text)) for o in distractors)
        cues.key_options += len(keys)
        cues.distractor_options += len(distractors)
        cues.key_absolute += key_abs
        cues.distractor_absolute += dis_abs
        if dis_abs and not key_abs and dis_abs >= len(distractors) - 1:
            report.flagged[q.id].append("absolute words mark the distractors")
        if any(REASON.search(o.text) for o in distractors) and not any(REASON.search(o.text) for o in keys):
            report.flagged[q.id].append("only distractors carry a reason clause")
        if isinstance(q, MultiQuestion):
            cues.multi += 1
            by_length = sorted(range(len(q.options)), key=lambda i: _length(q.options[i].text))
            lengths = [_length(q.options[i].text) for i in by_length]
            chosen = {i for i, o in enumerate(q.options) if o.correct}
            n = q.choose
            if set(by_length[-n:]) == chosen and lengths[-n - 1] < lengths[-n]:
                cues.keys_longest += 1
                report.flagged[q.id].append(f"the keys are the {n} longest options")
            if set(by_length[:n]) == chosen and lengths[n] > lengths[n - 1]:
                cues.keys_shortest += 1
                report.flagged[q.id].append(f"the keys are the {n} shortest options")
        if isinstance(q, SingleQuestion):
            cues.single += 1
            lengths = sorted(_length(o.text) for o in q.options)
            key = _length(keys[0].text)
            if key == lengths[0] and lengths[1] > key:
                cues.key_shortest += 1
                report.flagged[q.id].append("key is the unique shortest option")
            if key == lengths[-1] and lengths[-2] < key:
                cues.key_longest += 1
                report.flagged[q.id].append("key is the unique longest option")
    return report


def bank_cues(bank) -> CueReport:  # noqa: ANN001 - a loader.Bank; imported lazily by callers
    return measure((str(bank.domain_of(q)), bank.questions[q.id]) for q in bank.questions.infos())


def bank_of(paths):  # noqa: ANN001, ANN201 - paths in, the primary Bank out
    from quizapp.content.loader import load_catalog

    return load_catalog(paths).primary


def key_ranks(bank) -> list[tuple[str, str]]:  # noqa: ANN001
    """Each single item's key length rank among its options, for an author balancing lengths."""
    out = []
    for info in bank.questions.infos():
        q = bank.questions[info.id]
        if not isinstance(q, SingleQuestion):
            continue
        lengths = [_length(o.text) for o in q.options]
        key = _length(next(o.text for o in q.options if o.correct))
        rank = 1 + sum(length < key for length in lengths)
        tie = "=" if lengths.count(key) > 1 else ""
        out.append((q.id, f"{rank}{tie} of {len(lengths)}"))
    return out


def main(argv: list[str] | None = None) -> int:
    from pathlib import Path

    from quizapp.content.loader import default_sources

    args = list(sys.argv[1:] if argv is None else argv)
    items = "--items" in args
    paths = [Path(a) for a in args if not a.startswith("--")] or default_sources()
    report = bank_cues(bank_of(paths))
    print(
        "domain  single  key shortest  key longest  key middle  multi  keys longest  keys shortest"
        "  absolute words (distractor/key per option)"
    )
    for domain, cues in sorted(report.by_domain.items()) + [("all", report.total())]:
        print(
            f"{domain:>6}  {cues.single:>6}  {cues.shortest_share():>11.0%}  {cues.longest_share():>11.0%}"
            f"  {cues.middle_share():>10.0%}  {cues.multi:>5}  {cues.multi_longest_share():>12.0%}"
            f"  {cues.multi_shortest_share():>13.0%}  {cues.absolute_ratio():>5.2f}x"
        )
    print(f"items flagged: {len(report.flagged)}")
    if items:
        for qid, why in sorted(report.flagged.items()):
            print(f"  {qid}: {'; '.join(why)}")
    if "--lengths" in args:
        print("single items, the key's length rank (1 = shortest of 4, 4 = longest; = marks a tie):")
        for qid, rank in key_ranks(bank_of(paths)):
            print(f"  {qid}: {rank}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
