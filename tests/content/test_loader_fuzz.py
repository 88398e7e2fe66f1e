"""Property tests: whatever bytes or mutated banks arrive, the loader only ever says BankError."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.content import BankError, load_catalog, load_strict
from tests.content import samples

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _load_bytes(raw: bytes, sub: str = "questions") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / sub / "fuzz.yaml"
        path.parent.mkdir()
        path.write_bytes(raw)
        try:
            load_strict([Path(tmp)])
        except BankError as exc:
            assert exc.problems, "a BankError always carries its problems"
            for problem in exc.problems:
                assert problem.line >= 1 and problem.column >= 1 and problem.message


yaml_ish = st.lists(
    st.sampled_from(
        [
            *"abc:-[]{},&*!|>'\"#%@`?\n\t 0123456789.\u00e9\x00\ufeff",
            "questions",
            "id",
            "type: single",
            "  - ",
            "!!python/object:os.system",
            "&a ",
            "*a",
        ]
    ),
    max_size=120,
).map("".join)


@FUZZ
@given(yaml_ish)
def test_garbage_yaml_text_never_escapes_as_another_exception(text):
    _load_bytes(text.encode("utf-8"))


@FUZZ
@given(st.binary(max_size=300))
def test_garbage_bytes_never_escape_as_another_exception(raw):
    _load_bytes(raw)


VALID_FILES = [
    yaml.safe_load(s)
    for s in (samples.SINGLE, samples.MULTI, samples.ORDERING, samples.MATCHING, samples.CASE)
]
VALID_DECK = yaml.safe_load(samples.DECK)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 10),
    st.floats(allow_nan=False, width=16),
    st.text(max_size=12),
    st.just(""),
    st.just("single"),
    st.just("2.1"),
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


@st.composite
def mutated(draw, base):
    data = copy.deepcopy(draw(st.sampled_from(base)))
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["delete", "replace", "duplicate", "wrap", "rename"]))
        key = path[-1]
        if action == "delete":
            del parent[key]
        elif action == "replace":
            parent[key] = draw(scalars)
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        elif action == "wrap":
            parent[key] = [parent[key]]
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=8))] = parent.pop(key)
    return data


@FUZZ
@given(mutated(VALID_FILES))
def test_mutated_question_files_only_raise_bank_error(data):
    _load_bytes(yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))


@FUZZ
@given(mutated([VALID_DECK]))
def test_mutated_decks_only_raise_bank_error(data):
    _load_bytes(yaml.safe_dump(data, allow_unicode=True).encode("utf-8"), sub="flashcards")


def test_unmutated_samples_are_valid(tmp_path):
    for index, data in enumerate(VALID_FILES):
        (tmp_path / "questions").mkdir(exist_ok=True)
        (tmp_path / "questions" / f"f{index}.yaml").write_text(yaml.safe_dump(data))
    assert not load_catalog([tmp_path]).problems


UNSAFE_CHARS = st.sampled_from(
    [chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]]
    + [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]
)


@st.composite
def with_unsafe_text(draw, base):
    """A valid file with an unsafe character put into one of its strings (a key or a value)."""
    data = copy.deepcopy(draw(st.sampled_from(base)))
    paths = [p for p in _paths(data) if p]
    path = draw(st.sampled_from(paths))
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    key, char = path[-1], draw(UNSAFE_CHARS)
    value = str(parent[key]) if not isinstance(parent[key], (dict, list)) else None
    if value is None or (isinstance(parent, dict) and draw(st.booleans())):
        if isinstance(parent, dict):
            parent[f"{key}{char}"] = parent.pop(key)
        else:
            parent[key] = f"x{char}"
    else:
        at = draw(st.integers(0, len(value)))
        parent[key] = value[:at] + char + value[at:]
    return data


@FUZZ
@given(with_unsafe_text([*VALID_FILES, VALID_DECK]))
def test_unsafe_text_anywhere_is_refused_with_a_location(data):
    from quizapp.textsafe import UNSAFE

    sub = "flashcards" if "deck" in data else "questions"
    # safe_dump writes most controls as double-quoted escapes and bidi characters raw: both ways in.
    raw = yaml.safe_dump(data, allow_unicode=True).encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / sub / "fuzz.yaml"
        path.parent.mkdir()
        path.write_bytes(raw)
        catalog = load_catalog([Path(tmp)])
    # A raw NEL is a line break to YAML: only a character that survives reading must be named.
    if any(UNSAFE.search(text) for text in _strings(yaml.safe_load(raw))):
        assert any("U+" in p.message for p in catalog.problems)
    assert all(p.line >= 1 and p.column >= 1 for p in catalog.problems)
    assert not any(UNSAFE.search(str(p)) for p in catalog.problems)
    items = [*catalog.primary.questions.values(), *catalog.primary.flashcards.values()]
    texts = [*_strings([item.model_dump() for item in items]), *catalog.primary.deck_of.values()]
    assert not any(UNSAFE.search(text) for text in texts)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []
