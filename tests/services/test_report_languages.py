"""The PDF report in two languages and in every script: the clinician's fields (headings, column
names, the block results' labels, dates, decimals) in the clinic's language whatever the
patient's; a note in emoji, Chinese, Cyrillic, Arabic and Hebrew printed with the bundled
fallback fonts, every character with a glyph (fpdf2 logs each one no font has), and drawn."""

from __future__ import annotations

import dataclasses
import logging
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from app import i18n
from app.services.language import choose_clinic_language, choose_language
from app.services.reports import export_report
from app.store.block_diary_repository import OutcomeRepository
from app.store.settings_repository import SettingsRepository
from tests.services.report_story import NOW, ZONE, build_story

NOTE = "😀 dolor · 疼痛 · боль · ألم · כאב · 🤕 ❤ 👍"
SPANISH_FIELDS = (
    "Bloqueos de prueba y ARF: informe del diario del paciente",
    "Procedimientos",
    "Fecha Procedimiento Región y lado Niveles Anestésico",
    "13 ene 2026, 13:00",
    "Dolor habitual",
    "Alivio máximo",
    "83% a las 0:15",
    "no, más corto de lo esperado",
    "Tras el bloqueo",
    "Izquierdo: dolor",
    "sin resp.",
    "Los dos bloqueos comparados, parte por parte",
    "1. Alcanzó el 80 % sí no",
    "Resultados tras la ARF del 24 feb 2026, 9:30",
    "Antes de la ARF",
    "Semana 26",
    "7,0",
    "4,3",
    "Notas del paciente",
    "Página 1/2",
)
ENGLISH_FIELDS = (
    "Test blocks and RFA: patient diary report",
    "Procedures",
    "Date Procedure Region and side Levels Anaesthetic",
    "13 Jan 2026, 13:00",
    "Test block",
    "Lower back, both sides",
    "Usual pain",
    "Peak relief",
    "83% at 0:15",
    "no, shorter than expected",
    "After block",
    "Left: pain",
    "missed",
    "The two blocks compared, part by part",
    "1. Reached 80% yes no",
    "Outcomes after the RFA of 24 Feb 2026, 09:30",
    "Before the RFA",
    "Week 26",
    "7.0",
    "4.3",
    "The patient's notes",
    "Page 1/2",
)


@pytest.fixture
def story(fresh_db):
    ids = build_story(fresh_db)
    outcomes = OutcomeRepository(fresh_db)
    [week_12] = [c for c in outcomes.checkins(ids["rfa"]) if c.week == 12]
    outcomes.save(dataclasses.replace(week_12, note=NOTE))
    return ids


@pytest.fixture
def patient_language():
    """Set the app's (the patient's) language for one test, English again after it."""
    yield i18n.set_language
    i18n.set_language("en")


def _text(path: Path) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return " ".join(text.split())  # justified lines: wide spaces


def test_spanish_clinic_gets_spanish_fields(fresh_db, story, tmp_path):
    path = export_report(
        fresh_db, "pdf", tmp_path / "es.pdf", now=NOW, zone=ZONE, clinic_language="es"
    )
    text = _text(path)
    for expected in SPANISH_FIELDS:
        assert expected in text, expected
    # The domain's labels, in the clinic's language as their owners translate them.
    spanish = i18n.translation("es").gettext
    for label in (spanish("Test block"), f"{spanish('Lower back')}, ambos lados"):
        assert label in text, label
    for english in (
        "Procedures",
        "Usual pain",
        "Peak relief",
        "After block",
        "Week 26",
        "13 Jan 2026",
    ):
        assert english not in text, english
    # The numbers a clinician checks against the diary are the same ones.
    for figure in ("6/10", "7/10", "45 min (0:00–0:45)", "2 h (0:00–2:00)", "100%"):
        assert figure in text, figure


def test_english_clinic_gets_english_fields_whatever_the_patient_reads(
    fresh_db, story, tmp_path, patient_language
):
    patient_language("es")
    path = export_report(
        fresh_db, "pdf", tmp_path / "en.pdf", now=NOW, zone=ZONE, clinic_language="en"
    )
    text = _text(path)
    for expected in ENGLISH_FIELDS:
        assert expected in text, expected
    for spanish in ("Procedimientos", "Dolor habitual", "Tras el bloqueo", "ene 2026"):
        assert spanish not in text, spanish


def test_the_clinic_setting_chooses_and_else_the_patient_language(
    fresh_db, story, tmp_path, patient_language
):
    settings = SettingsRepository(fresh_db)
    choose_language(settings, "es")  # what the patient chose, stored and applied
    text = _text(export_report(fresh_db, "pdf", tmp_path / "p.pdf", now=NOW, zone=ZONE))
    assert "Procedimientos" in text and "Procedures" not in text
    choose_clinic_language(settings, "en")
    text = _text(export_report(fresh_db, "pdf", tmp_path / "c.pdf", now=NOW, zone=ZONE))
    assert "Procedures" in text and "Procedimientos" not in text


def test_a_note_in_any_script_prints_with_the_fallback_fonts(fresh_db, story, tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        path = export_report(
            fresh_db, "pdf", tmp_path / "note.pdf", now=NOW, zone=ZONE, clinic_language="en"
        )
    # fpdf2 logs every character no font (text font or fallback) has a glyph for.
    assert not [r for r in caplog.records if "missing the following glyphs" in r.message]
    reader = PdfReader(path)
    fonts = {
        font.get_object()["/BaseFont"].split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert {"DejaVuSansBook", "DejaVuSansBold", "DroidSansFallback", "Symbola"} <= fonts
    [line] = [line for line in _text(path).split("Week 12, ")[1:] if "dolor" in line]
    # Left-to-right runs extract in typed order; the Arabic and Hebrew words in display order.
    for word in ("😀 dolor", "疼痛", "боль", "🤕", "❤", "👍"):
        assert word in line, word
    assert "ألم" in line or "ألم"[::-1] in line
    assert "כאב" in line or "כאב"[::-1] in line


def test_the_instrument_sees_a_character_no_font_has(fresh_db, story, tmp_path, caplog):
    """🫠 (Unicode 14) is newer than the bundled emoji font: the check above would fail."""
    outcomes = OutcomeRepository(fresh_db)
    [week_12] = [c for c in outcomes.checkins(story["rfa"]) if c.week == 12]
    outcomes.save(dataclasses.replace(week_12, note="🫠"))
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        export_report(fresh_db, "pdf", tmp_path / "melting.pdf", now=NOW, zone=ZONE)
    assert any(
        "missing the following glyphs" in r.message and "🫠" in r.message for r in caplog.records
    )


def test_the_note_is_drawn_not_left_blank(fresh_db, story, tmp_path):
    """The note's line, rendered: the CJK and emoji glyphs leave ink where they stand."""
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed")
    path = export_report(
        fresh_db, "pdf", tmp_path / "drawn.pdf", now=NOW, zone=ZONE, clinic_language="en"
    )
    pages = len(PdfReader(path).pages)
    box = None
    for page in range(1, pages + 1):
        html = subprocess.run(
            ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for word in ("疼痛", "😀", "🤕"):
            marker = f">{word}</word>"
            if marker in html:
                line = html[: html.index(marker)].rsplit("<word", 1)[1]
                values = dict(part.split("=") for part in line.split() if "=" in part)
                box = box or {}
                box[word] = (
                    page,
                    *(float(values[k].strip('"')) for k in ("xMin", "yMin", "xMax", "yMax")),
                )
    assert box is not None and set(box) == {"疼痛", "😀", "🤕"}
    from PIL import Image

    dpi = 150
    for word, (page, x0, y0, x1, y1) in box.items():
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(dpi),
                "-png",
                "-f",
                str(page),
                "-l",
                str(page),
                str(path),
                str(tmp_path / f"p{page}"),
            ],
            check=True,
        )
        [png] = tmp_path.glob(f"p{page}-*.png")
        scale = dpi / 72
        with Image.open(png) as image:
            crop = image.convert("L").crop(
                (int(x0 * scale), int(y0 * scale), int(x1 * scale), int(y1 * scale))
            )
            dark = sum(crop.histogram()[:128])
        png.unlink()
        assert dark > 20, f"{word} left no ink"
