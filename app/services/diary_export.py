"""Diary entries as plain records, CSV, JSON or a table, for the CLI to print.

What is printed may land on a terminal, so the patient's own words pass through
`app.services.safe_text`: no control character is printed raw, and a CSV cell a spreadsheet would
run as a formula starts with ' (the report's CSV does the same with the same writer)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from app.domain.diary import PainEntry
from app.services.safe_text import SafeCsvWriter, terminal_json, terminal_text

CSV_COLUMNS = [
    "id",
    "at_utc",
    "local_time",
    "zone",
    "score",
    "areas",
    "activity",
    "medication",
    "medication_at_utc",
    "note",
]


def entry_record(entry: PainEntry) -> dict:
    return {
        "id": entry.id,
        "at_utc": entry.at.isoformat(),
        "local_time": entry.local_at.isoformat(),
        "zone": entry.zone,
        "score": entry.score,
        "areas": [{"area": a.area, "side": a.side, "score": a.score} for a in entry.areas],
        "activity": entry.activity,
        "medication": entry.medication,
        "medication_at_utc": entry.medication_at.isoformat() if entry.medication_at else None,
        "note": entry.note,
    }


def write_json(entries: Iterable[PainEntry], out: IO[str]) -> None:
    out.write("[")
    for index, entry in enumerate(entries):
        out.write(",\n " if index else "\n ")
        out.write(terminal_json(entry_record(entry)))
    out.write("\n]\n")


def write_csv(entries: Iterable[PainEntry], out: IO[str]) -> None:
    writer = SafeCsvWriter(out, CSV_COLUMNS, for_terminal=True)
    writer.writeheader()
    for entry in entries:
        record = entry_record(entry)
        record["areas"] = "; ".join(
            f"{a['area']}:{a['side']}:{a['score']}" for a in record["areas"]
        )
        writer.writerow(record)


def write_table(entries: Iterable[PainEntry], out: IO[str]) -> None:
    out.write(f"{'id':>7}  {'local time':<16}  {'score':>5}  areas / note\n")
    for entry in entries:
        areas = ", ".join(f"{a.label} {a.score}" for a in entry.areas)
        detail = terminal_text(
            " | ".join(part for part in (areas, entry.note) if part), one_line=True
        )
        when = entry.local_at.strftime("%Y-%m-%d %H:%M")
        out.write(f"{entry.id:>7}  {when:<16}  {entry.score:>5}  {detail[:60]}\n")
