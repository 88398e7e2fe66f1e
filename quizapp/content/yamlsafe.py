"""Hardened YAML reading: bytes in, plain data plus the node tree (for line numbers) out.

Only safe loading is used (libyaml's CSafeLoader when PyYAML was built with it). Before libyaml's
composer sees a document we bound its nesting depth, because that composer recurses in C and a file
of a few hundred kilobytes of `[` crashes the interpreter outright. Anchors and aliases are allowed
but their expansion is counted, so a "billion laughs" file is refused in milliseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from quizapp.content import yamlrules
from quizapp.textsafe import UNSAFE, describe

try:  # pragma: no cover - which branch runs depends on how PyYAML was built
    from yaml.cyaml import CParser as _Parser

    _PARSER_STACK: tuple[type, ...] = (_Parser,)
except ImportError:
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    _PARSER_STACK = (Reader, Scanner, Parser, Composer)

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIAS_EXPANSION = 100_000
MAX_INTEGER_DIGITS = 30
_MERGE_TAG = "tag:yaml.org,2002:merge"
_VALUE_TAG = "tag:yaml.org,2002:value"
"""Nodes that aliases may add on top of the document's own: generous for real reuse."""

# The pre-scans run over every bank file on every cold load, so they must not try every position.
# The flow bound keeps only the brackets with a byte translation (a C loop at memory speed). Block
# nesting needs either deep indentation (a substring search) or a run of compact entries (`- - - x`),
# which needs at least two in a row: patterns that start with the literal `-` or `?` let the regex
# engine jump between those characters, and only a file with such a pair gets the line-by-line scan.
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_DEEP_INDENT = "\n" + " " * 160
_COMPACT_PAIR = (re.compile(r"-[ \t]+[-?]"), re.compile(r"\?[ \t]+[-?]"))
_BLOCK_SUSPECT = re.compile(r"\n(?:[ \t]{160}|[ \t]*(?:[-?][ \t]+){24})")
# An anchor is `&name` at the start of a token. The pattern starts with the literal `&` so the
# regex engine skips ahead to each `&` (there are usually none) instead of trying every position.
_ANCHOR = re.compile(r"&(?<![^\s\[{,]&)[^\s\[\]{},]")


class _BankConstructor(SafeConstructor):
    """SafeConstructor that notes duplicate mapping keys instead of silently keeping the last, and
    refuses merge keys and over-long integers where it meets them (so they cost no extra pass)."""

    def __init__(self) -> None:
        super().__init__()
        self.duplicate_keys: list[tuple[str, yaml.Mark]] = []
        self.refusals: list[YamlProblem] = []

    def _refuse(self, node: yaml.Node, message: str) -> None:
        self.refusals.append(YamlProblem(message, node.start_mark.line + 1, node.start_mark.column + 1))

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:  # type: ignore[override]
        mapping = super().construct_mapping(node, deep=deep)
        if len(mapping) != len(node.value):  # rare: only then look for the culprit
            seen: set[object] = set()
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value != "<<":
                    if key_node.value in seen:
                        self.duplicate_keys.append((key_node.value, key_node.start_mark))
                    seen.add(key_node.value)
        return mapping

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        """Where SafeConstructor merges `<<` keys, refuse them: a bank is plain YAML, and a merge
        makes what a reader sees differ from what the file says at that place. One pass, as the
        method it replaces (it runs for every mapping)."""
        merges = None
        for key, _ in node.value:
            tag = key.tag
            if tag == _MERGE_TAG:
                merges = True
                self._refuse(
                    key, "merge keys (<<) are refused: write the keys out (anchors and aliases are fine)"
                )
            elif tag == _VALUE_TAG:  # as SafeConstructor does: a `=` key is the text "="
                key.tag = "tag:yaml.org,2002:str"
        if merges:
            node.value = [(key, value) for key, value in node.value if key.tag != _MERGE_TAG]

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        """Python refuses to convert past 4,300 digits and sexagesimal ints grow quadratically: a long
        one is refused before any conversion."""
        value = node.value
        if len(value) > MAX_INTEGER_DIGITS and len(value.lstrip("+-").replace("_", "")) > MAX_INTEGER_DIGITS:
            self._refuse(node, f"integer is too long (more than {MAX_INTEGER_DIGITS} digits)")
            return 0
        return super().construct_yaml_int(node)


_BankConstructor.add_constructor("tag:yaml.org,2002:int", _BankConstructor.construct_yaml_int)


class SafeLoader(*_PARSER_STACK, _BankConstructor, Resolver):  # type: ignore[misc]
    """libyaml's parser (when built) with the safe constructor: never an unsafe loader."""

    def __init__(self, stream: str) -> None:
        _PARSER_STACK[0].__init__(self, stream)
        for base in _PARSER_STACK[1:]:
            base.__init__(self)
        _BankConstructor.__init__(self)
        Resolver.__init__(self)


class _LocatingLoader(SafeLoader):
    """SafeLoader that names the node whose value could not be built. A wrapper round every node
    would cost a cold load 5 %, so it is used only to find the culprit once construction has failed."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> object:
        try:
            return super().construct_object(node, deep=deep)
        except (yaml.YAMLError, RecursionError):
            raise
        except Exception as exc:  # noqa: BLE001 - whatever a constructor raises, the author gets a place
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read this value: {exc}", node.start_mark
            ) from None


def _locate_failure(text: str, exc: Exception) -> YamlProblem:
    """Construct again, node by node, to place a failure (a date such as 2024-13-01) in the file."""
    loader = _LocatingLoader(text)
    try:
        loader.construct_document(loader.get_single_node())
    except yaml.MarkedYAMLError as located:
        mark = located.problem_mark
        if mark is not None:
            return YamlProblem(located.problem or str(exc), mark.line + 1, mark.column + 1)
    except Exception:  # noqa: BLE001 - no place found: the plain message below
        pass
    finally:
        loader.dispose()
    return YamlProblem(f"cannot read this document: {type(exc).__name__}: {exc}")


class YamlProblem(Exception):
    """A document that could not be read; line and column are 1-based."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class YamlRefused(Exception):
    """A document refused whole for reasons found all at once (tags, merge keys, long integers)."""

    def __init__(self, problems: list[YamlProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Parsed:
    data: object
    root: yaml.Node
    duplicate_keys: list[YamlProblem]
    unsafe_text: list[YamlProblem]
    """Strings holding characters that must not reach a terminal, each at its first such character."""
    unsafe_at: set[tuple[int, int]]
    """Where each of those strings starts: the models refuse them too, less exactly."""


def decode(raw: bytes) -> str:
    """UTF-8 (an optional BOM is dropped); anything else is reported at the offending byte."""
    if len(raw) > MAX_FILE_BYTES:
        raise YamlProblem(
            f"file is {len(raw) / 1048576:.1f} MiB; banks are limited to "
            f"{MAX_FILE_BYTES // 1048576} MiB per file (split it)"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise YamlProblem(
            f"file is not UTF-8 (byte 0x{raw[exc.start]:02x} cannot be decoded)", line, column
        ) from None


def _flow_depth_bound(data: bytes) -> int:
    """An upper bound on flow-collection nesting, cheap for ordinary files."""
    brackets = data.translate(None, _NOT_BRACKETS)
    passes = 0
    while passes <= MAX_DEPTH:
        shorter = brackets.replace(b"[]", b"").replace(b"{}", b"")
        if shorter == brackets:
            break
        brackets = shorter
        passes += 1
    return passes + brackets.count(b"[") + brackets.count(b"{")


def _block_suspect(text: str) -> bool:
    """Could block nesting (indentation, compact entries) run past MAX_DEPTH? Never a false no."""
    if "\t" in text or any(pair.search(text) for pair in _COMPACT_PAIR):
        return _BLOCK_SUSPECT.search("\n" + text) is not None
    return text.startswith(_DEEP_INDENT[1:]) or _DEEP_INDENT in text


def _exact_depth(text: str) -> int:
    """Nesting depth from libyaml's event stream; its parser is iterative, so this is safe."""
    loader = SafeLoader(text)
    depth = deepest = 0
    try:
        while True:
            event = loader.get_event()
            kind = type(event)
            if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                depth += 1
                if depth > deepest:
                    deepest = depth
                    if deepest > MAX_DEPTH:
                        return deepest
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                depth -= 1
            elif kind is yaml.StreamEndEvent or event is None:
                return deepest
    finally:
        loader.dispose()


def _check_depth(text: str) -> None:
    suspicious = _flow_depth_bound(text.encode("utf-8", "surrogatepass")) > MAX_DEPTH or _block_suspect(text)
    if suspicious and _exact_depth(text) > MAX_DEPTH:
        raise YamlProblem(f"document is nested more than {MAX_DEPTH} levels deep")


def _check_aliases(root: yaml.Node) -> None:
    """Refuse recursive aliases and alias expansion past MAX_ALIAS_EXPANSION extra nodes."""
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()
    unique = 0

    def size(node: yaml.Node) -> int:
        nonlocal unique
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in in_progress:
            mark = node.start_mark
            raise YamlProblem("an alias refers to the node that contains it", mark.line + 1, mark.column + 1)
        in_progress.add(key)
        unique += 1
        total = 1
        if isinstance(node, yaml.SequenceNode):
            for child in node.value:
                total += size(child)
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                total += size(k) + size(v)
        in_progress.discard(key)
        sizes[key] = total
        if total - unique > MAX_ALIAS_EXPANSION:
            mark = node.start_mark
            raise YamlProblem(
                f"aliases expand this document past {MAX_ALIAS_EXPANSION:,} extra nodes "
                "(refused as an alias bomb)",
                mark.line + 1,
                mark.column + 1,
            )
        return total

    size(root)


def parse(text: str) -> Parsed:
    """Parse one YAML document safely, keeping the node tree for error locations."""
    loader = None
    try:
        _check_depth(text)
        loader = SafeLoader(text)
        root = loader.get_single_node()
        if root is None:
            raise YamlProblem("file is empty")
        if _ANCHOR.search(text):
            _check_aliases(root)
        tags = yamlrules.explicit_tags(text, SafeLoader)
        if tags:
            raise YamlRefused([YamlProblem(message, line, column) for line, column, message in tags])
        unsafe = yamlrules.unsafe_text(text, root)
        data = loader.construct_document(root)
        if loader.refusals:
            raise YamlRefused(loader.refusals)
        duplicates = [
            YamlProblem(f"key {key!r} appears twice in the same mapping", m.line + 1, m.column + 1)
            for key, m in loader.duplicate_keys
        ]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
        if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in (exc.problem or ""):
            message = f"{exc.problem} (only plain YAML is allowed; tags are refused)"
        if mark is None:
            raise YamlProblem(message) from None
        raise YamlProblem(message, mark.line + 1, mark.column + 1) from None
    except yaml.reader.ReaderError as exc:
        raise _character_problem(text, exc) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise YamlProblem(f"document is nested more than {MAX_DEPTH} levels deep") from None
    except (YamlProblem, YamlRefused):
        raise
    except Exception as exc:  # noqa: BLE001 - a hostile file gets a message, never a traceback
        raise _locate_failure(text, exc) from None
    finally:
        if loader is not None:
            loader.dispose()
    found = [YamlProblem(message, line, column) for line, column, message in unsafe.found]
    return Parsed(data, root, duplicates, found, unsafe.starts)


def _character_problem(text: str, exc: yaml.reader.ReaderError) -> YamlProblem:
    """A character no YAML file may hold (raw ESC, NUL, DEL, C1), placed at that character."""
    char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
    # libyaml counts the offset in bytes of the UTF-8 it was given; PyYAML's own reader in characters.
    if _PARSER_STACK[0].__module__ == "yaml._yaml":
        before = text.encode("utf-8", "surrogatepass")[: exc.position].decode("utf-8", "replace")
    else:  # pragma: no cover - PyYAML without libyaml
        before = text[: exc.position]
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    if UNSAFE.match(char):
        return YamlProblem(yamlrules.unsafe_message(char), line, column)
    return YamlProblem(f"file contains {describe(char)}, which YAML does not allow", line, column)
