"""Text the app hands to other programs, made safe for them: spreadsheets and terminals.

- A spreadsheet runs a cell that starts with = + - @, a tab or a carriage return as a formula
  (OWASP, "CSV Injection"), so such a cell is written with a leading ' (as is one that already
  starts with ', so that reading back is unambiguous). `SafeCsvWriter` is the one CSV writer:
  the report's CSV and `diary list --format csv` both use it.
- A terminal obeys control characters (an ESC starts a command that can retitle the window,
  hide text or fake output) and bidirectional overrides reorder what is shown. `terminal_text`
  shows each of them as a visible escape such as `\\x1b` instead; the CLI passes every piece of
  text a person typed (notes, reminder texts, file titles) through it before printing.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Mapping
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")

# C0 controls but tab and newline, DEL, the C1 controls, and the bidirectional controls
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# The same inside JSON, where C0 controls are escaped by json already
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def spreadsheet_cell(text: str) -> str:
    """`text` as a spreadsheet will show it and never run it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def from_spreadsheet_cell(cell: str) -> str:
    """What `spreadsheet_cell` was given."""
    return cell[1:] if cell.startswith("'") else cell


def terminal_text(text: str, *, one_line: bool = False) -> str:
    """`text` with every control character a terminal would obey shown as an escape (`\\x1b`,
    `\\u202e`); a Windows line end becomes a plain one. `one_line`: newlines and tabs become
    spaces too, for a row of a table."""
    text = text.replace("\r\n", "\n")
    if one_line:
        text = text.replace("\n", " ").replace("\t", " ")
    return _TERMINAL_UNSAFE.sub(_escaped, text)


def terminal_json(document: Any, **options: Any) -> str:
    """`json.dumps` for printing: readable non-ASCII text, and no character a terminal obeys
    (json escapes C0 controls itself; C1 and bidirectional controls become \\u escapes)."""
    text = json.dumps(document, ensure_ascii=False, **options)
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


class SafeCsvWriter(csv.DictWriter):
    """A `csv.DictWriter` (lines end in CRLF, as RFC 4180 says) whose text cells are made safe
    for spreadsheets, and with `for_terminal` for a terminal too."""

    def __init__(self, out: IO[str], columns: Iterable[str], *, for_terminal: bool = False) -> None:
        super().__init__(out, fieldnames=list(columns), lineterminator="\r\n")
        self.for_terminal = for_terminal

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({key: self._cell(value) for key, value in rowdict.items()})

    def _cell(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if self.for_terminal:
            value = terminal_text(value)
        return spreadsheet_cell(value)
