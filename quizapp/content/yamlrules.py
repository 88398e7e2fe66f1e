"""What a bank file may not hold even though it parses: explicit tags and text that would act on a
terminal (yamlsafe's constructor refuses merge keys and over-long integers).

Plain YAML is the contract. An explicit tag (`!!binary`, `!!str`, `!custom`) is refused rather than
interpreted, so a file means the same to every reader. A shared bank is untrusted: ESC, the other
C0/C1 controls, DEL and bidi overrides in any string (a key too) would reach the learner's terminal,
so each is reported at the character itself, written raw or as a double-quoted escape (`"\\e"`).

Every file of every cold load passes through here, so each check first asks a cheap question of
the whole text (a substring search or a regex that starts with a literal, usually a no) and only then
walks events or nodes. Merge keys and long integers cost nothing extra: yamlsafe's constructor
catches them where it meets them anyway.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml

from quizapp.textsafe import UNSAFE, describe

# `!` where a token starts (start of text, after whitespace, `[`, `{` or `,`). The pattern starts
# with the literal so the engine jumps between `!`s instead of trying every position.
_TAG_SUSPECT = re.compile(r"!(?<![^\s\[{,]!)")
# YAML readers refuse every other unsafe character written raw (C0 but tab and line breaks, DEL, C1
# but NEL; yamlsafe reports that at the character), and read a raw CR or NEL as a line break, so only
# these can reach a value raw. Nine substring searches run at memory speed where one regex class
# costs ten times as much, and a file that is all ASCII needs none.
_RAW_REACHABLE = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Double-quoted escapes that may decode to an unsafe character.
_ESCAPE_SUSPECT = re.compile(r"\\[0abvfreNxuU]")
_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "v": "\v", "f": "\f", "r": "\r", "e": "\x1b", "N": "\x85"}
_QUOTED_PIECE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)|" + UNSAFE.pattern, re.S)
_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")

Found = tuple[int, int, str]
"""A problem's 1-based line and column and its message."""


def explicit_tags(text: str, loader_class: type) -> list[Found]:
    """Every node with an explicit tag, from libyaml's events (a composed node no longer says whether
    its tag was written or resolved)."""
    if _TAG_SUSPECT.search(text) is None:
        return []
    found: list[Found] = []
    loader = loader_class(text)
    try:
        while True:
            event = loader.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return found
            if getattr(event, "tag", None) is not None and isinstance(event, yaml.NodeEvent):
                mark = event.start_mark
                found.append(
                    (
                        mark.line + 1,
                        mark.column + 1,
                        f"explicit tag {event.tag!r}: only plain YAML is allowed; tags are refused",
                    )
                )
    finally:
        loader.dispose()


def _scalars(root: yaml.Node) -> Iterator[yaml.ScalarNode]:
    """Each scalar once (aliases share nodes), keys too; iterative, as the tree may be deep."""
    stack: list[yaml.Node] = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            yield node
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack.append(value)
                stack.append(key)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))


def may_hold_unsafe_text(text: str) -> bool:
    """Could any string of this document hold an unsafe character? Never a false no."""
    if _ESCAPE_SUSPECT.search(text) is not None:
        return True
    return not text.isascii() and any(char in text for char in _RAW_REACHABLE)


@dataclass
class Unsafe:
    """Strings holding characters that must not reach a terminal. Each is reported at its first such
    character; the models refuse the item that holds it, and the loader drops their error for that
    string (`starts`), this one being more exact."""

    found: list[Found] = field(default_factory=list)
    starts: set[tuple[int, int]] = field(default_factory=set)
    """1-based line and column where each of those strings starts."""


def unsafe_text(text: str, root: yaml.Node) -> Unsafe:
    """Every string of the document (keys too) that holds an unsafe character, in document order."""
    unsafe = Unsafe()
    if not may_hold_unsafe_text(text):
        return unsafe
    for node in _scalars(root):
        if UNSAFE.search(node.value) is not None:
            mark = node.start_mark
            unsafe.found.append(_unsafe_char(text, node))
            unsafe.starts.add((mark.line + 1, mark.column + 1))
    return unsafe


def unsafe_message(char: str) -> str:
    return f"text contains {describe(char)}: control characters are not allowed in bank text"


def _unsafe_char(text: str, node: yaml.ScalarNode) -> Found:
    """Where in the file the node's first refused character is written, raw or as an escape."""
    start, end = node.start_mark, node.end_mark
    # A backslash is an escape only in a double-quoted scalar; elsewhere only raw characters count.
    pieces = _QUOTED_PIECE if node.style == '"' else UNSAFE
    for piece in pieces.finditer(text, start.index, end.index):
        code = piece.group(1) if piece.re is _QUOTED_PIECE else None
        if code is None:
            char = piece.group()
        elif len(code) > 1:
            char = chr(int(code[1:], 16)) if int(code[1:], 16) <= 0x10FFFF else ""
        else:
            char = _ESCAPES.get(code, "")
        if char and UNSAFE.match(char):
            before = text[start.index : piece.start()]
            breaks = list(_BREAK.finditer(before))
            line = start.line + len(breaks)
            column = len(before) - breaks[-1].end() if breaks else start.column + len(before)
            return (line + 1, column + 1, unsafe_message(char))
    found = UNSAFE.search(node.value)
    assert found is not None
    return (start.line + 1, start.column + 1, unsafe_message(found.group()))
