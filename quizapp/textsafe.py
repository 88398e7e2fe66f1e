"""Text from banks and import files is data, never terminal control.

A shared bank is untrusted input: an ESC in a stem could clear the screen, retitle the terminal or
write the clipboard (OSC 52), and a bidi override (U+202E) makes text read other than it is. The
loader refuses these characters with a location (`first_unsafe`); the display layer strips them
anyway (`strip_unsafe`, defence in depth); every CLI line that echoes bank or file content escapes
them (`escape`).
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls but tab and newline, DEL, the C1 block, bidi embeddings/overrides and isolates.
_UNSAFE_CLASS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
UNSAFE = re.compile(f"[{_UNSAFE_CLASS}]")
_UNSAFE_IN_LINE = re.compile(f"[\t\n{_UNSAFE_CLASS}]")
_STRIP = {
    code: None
    for code in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F)]
    + list(range(0x2066, 0x206A))
}


def first_unsafe(text: str) -> int | None:
    """Index of the first character that must not reach a terminal, or None."""
    found = UNSAFE.search(text)
    return found.start() if found else None


def describe(char: str) -> str:
    """`U+001B (ESC)`-style name of a refused character, for an author's error message."""
    names = {"\x1b": "ESC", "\x7f": "DEL", "\r": "carriage return", "\x00": "NUL", "\x07": "BEL"}
    name = names.get(char) or unicodedata.name(char, "control character")
    return f"U+{ord(char):04X} ({name})"


def strip_unsafe(text: str) -> str:
    """The text without any character that could act on a terminal (tab and newline kept)."""
    return text.translate(_STRIP)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: object) -> str:
    """One printable line for a CLI message: controls, tabs and newlines shown as `\\x1b`-style escapes."""
    return _UNSAFE_IN_LINE.sub(_escaped, str(text))
