"""What an instructor is told about one submission: a :class:`Flag` of a known kind, with a reason.

A flag's *kind* comes from the fixed table :data:`KINDS` (which also says whether that kind leaves
the submission without a score); its *reason* is free text that may quote what a submission chose:
a ``grade_id``, a file name, an error message. So wherever flags are written as text (the grades
CSV, the summary a terminal shows) the reason is escaped, and text shaped like a flag inside a
reason stays part of that reason: :func:`encode` and :func:`decode` are an exact round trip for
any string, and :func:`printable` makes a name safe to print on one terminal line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["KINDS", "Flag", "decode", "encode", "printable"]

#: every kind of flag, and whether it leaves the submission without a score (fatal)
KINDS: dict[str, bool] = {
    "missing-submission": True,
    "missing-file": True,
    "wrong-file-name": False,
    "linked-file": True,
    "too-large": True,
    "skipped-file": False,
    "invalid-json": True,
    "not-a-notebook": True,
    "tampered-metadata": False,
    "edited-test-cell": False,
    "deleted-cell": False,
    "unknown-graded-cell": False,
    "timeout": False,
    "kernel-stopped": False,
    "kernel-died": False,
    "huge-output": False,
    "autograde-failed": True,
    "grader-error": True,
    "grader-crashed": True,
    "merge-failed": True,
}

SEPARATOR = " | "  #: between two flags in one CSV cell


@dataclass(frozen=True)
class Flag:
    """Something an instructor should know about one submission."""

    kind: str  #: one of :data:`KINDS`, short and stable, for filtering
    reason: str  #: one sentence for a human; may quote the submission, so escaped wherever it is written
    fatal: bool | None = None  #: True when the submission could not be graded at all; follows from the kind

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown flag kind {self.kind!r} (known: {', '.join(KINDS)})")
        if not isinstance(self.reason, str):
            raise TypeError(f"a flag's reason is text, not {type(self.reason).__name__}")
        if self.fatal is None:
            object.__setattr__(self, "fatal", KINDS[self.kind])
        elif self.fatal != KINDS[self.kind]:
            raise ValueError(f"a {self.kind!r} flag is {'always' if KINDS[self.kind] else 'never'} fatal")

    def __str__(self) -> str:
        return f"{self.kind}: {_escape(self.reason)}"


def _escape(text: str) -> str:
    """``text`` on one line with no bare ``|``: backslash escapes, reversed by :func:`_unescape`."""
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char == "|":
            out.append("\\|")
        elif not char.isprintable():  # newlines, tabs, terminal escapes, line and paragraph separators
            code = ord(char)
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)


def encode(flags: Iterable[Flag]) -> str:
    """Flags as one line of text: ``kind: reason | kind: reason``, every reason escaped."""
    return SEPARATOR.join(str(flag) for flag in flags)


def decode(text: str) -> list[Flag]:
    """The flags :func:`encode` wrote, exactly; raises ``ValueError`` for text it cannot have written."""
    flags: list[Flag] = []
    parts, current, index = [], [], 0
    while index < len(text):  # split at the bare `|` only; an escaped one belongs to a reason
        char = text[index]
        if char == "\\":
            current.append(text[index:index + 2])
            index += 2
            continue
        if char == "|":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append("".join(current))
    if parts == [""]:
        return flags
    for number, part in enumerate(parts):
        if number > 0:  # the separator's own spaces, exactly one each side
            if not part.startswith(" "):
                raise ValueError(f"flags not separated by {SEPARATOR!r}: {text!r}")
            part = part[1:]
        if number < len(parts) - 1:
            if not part.endswith(" "):
                raise ValueError(f"flags not separated by {SEPARATOR!r}: {text!r}")
            part = part[:-1]
        kind, colon, reason = part.partition(": ")
        if not colon:
            raise ValueError(f"a flag without 'kind: reason': {part!r}")
        flags.append(Flag(kind, _unescape(reason)))
    return flags


def _unescape(text: str) -> str:
    out, index = [], 0
    while index < len(text):
        char = text[index]
        if char != "\\":
            out.append(char)
            index += 1
            continue
        escaped = text[index + 1:index + 2]
        if escaped in ("\\", "|"):
            out.append(escaped)
            index += 2
        elif escaped in ("u", "U"):
            width = 4 if escaped == "u" else 8
            digits = text[index + 2:index + 2 + width]
            if len(digits) != width or any(d not in "0123456789abcdef" for d in digits):
                raise ValueError(f"a broken escape in a flag's reason: {text!r}")
            out.append(chr(int(digits, 16)))
            index += 2 + width
        else:
            raise ValueError(f"a broken escape in a flag's reason: {text!r}")
    return "".join(out)


def printable(text: str) -> str:
    """``text`` safe to print on one terminal line: no newline, carriage return or escape sequence."""
    return "".join(char if char.isprintable() else (f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF
                                                    else f"\\U{ord(char):08x}") for char in text)
