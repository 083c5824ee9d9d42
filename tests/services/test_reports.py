"""The reports: the PDF holds the figures (text extracted with pypdf) and renders; the FHIR
Bundle validates as R4 with fhir.resources; the CSV reads back into every field it was written
from, emoji and other scripts included."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.domain.patient import PatientDetails
from app.services.reports import collect_report, default_filename, export_report
from app.services.reports.csv_export import read_report_csv, write_report_csv
from app.services.reports.fhir_export import PEG_CODE_NOTE, RELIEF_SYSTEM, build_bundle
from app.store.block_diary_repository import (
    BlockDiaryRepository,
    OutcomeRepository,
    PatientRepository,
)
from app.store.diary_repository import DiaryRepository
from tests.services.report_story import NAME, NOW, ZONE, build_story


@pytest.fixture
def story(fresh_db):
    return build_story(fresh_db)


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_the_pdf_holds_the_figures_a_clinician_reads(fresh_db, story, tmp_path):
    steps = []
    path = export_report(
        fresh_db,
        "pdf",
        tmp_path,
        now=NOW,
        zone=ZONE,
        progress=lambda fraction, message: steps.append((fraction, message)),
    )
    assert path == tmp_path / "facet-report-2026-09-01.pdf"
    reader = PdfReader(path)
    # The two block diaries with the everyday diary's trend; the comparison and the outcomes.
    assert len(reader.pages) in (2, 3)
    text = _pdf_text(path)
    for expected in (
        NAME,
        "23 Apr 1961",
        "13 Jan 2026, 13:00",
        "3 Feb 2026, 11:00",
        "24 Feb 2026, 09:30",
        "Test block",
        "Confirming block",
        "Radiofrequency ablation (RFA)",
        "L4-L5, L5-S1",
        "Lidocaine",
        "Bupivacaine",
        "Lower back, both sides",
        "threshold 80%",
        "Lower back, left side",
        "Lower back, right side",
        "83% at 0:15",
        "45 min (0:00–0:45)",
        "no, shorter than expected",
        "100% at 0:15",
        "2 h (0:00–2:00)",
        "5 h (0:00–5:00)",
        "67% at 0:45",
        "threshold not reached",
        "missed",
        "Your diary shows up to about 83% relief in your lower back on the left (15 minutes "
        "after the block). Relief was 80% or more for 45 minutes.",
        # Left: the first block reached 80% for 45 minutes (under lidocaine's 1 hour), the
        # second never did; right: 2 hours after lidocaine, 5 after bupivacaine.
        "The two blocks compared, part by part",
        "1. Reached 80% yes no",
        "2. Lasted as long as expected no no",
        "Both parts met no no",
        "1. Reached 80% yes yes",
        "2. Lasted as long as expected yes yes",
        "Both blocks met both parts. Relief at or above 80% lasted 5 hours after bupivacaine "
        "and 2 hours after lidocaine: longer after the longer-acting medicine (concordant).",
        "3 points better (43%)",
        "2.7 points better (39%)",
        "7.0",
        "4.3",
        "relief seems to be fading",
    ):
        assert expected in " ".join(text.split()), expected  # justified lines: wide spaces
    fractions = [f for f, _ in steps]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0


def test_the_pdf_renders_to_a_picture(fresh_db, story, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    path = export_report(fresh_db, "pdf", tmp_path / "report.pdf", now=NOW, zone=ZONE)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
    )
    from PIL import Image

    with Image.open(tmp_path / "page-1.png") as image:
        assert image.size[0] < image.size[1]  # portrait
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert len(colours) > 20  # text, lines and fills, not a blank page


def test_name_and_date_of_birth_appear_only_when_entered(fresh_db, story, tmp_path):
    PatientRepository(fresh_db).save(PatientDetails())
    path = export_report(fresh_db, "pdf", tmp_path / "anonymous.pdf", now=NOW, zone=ZONE)
    text = _pdf_text(path)
    assert "Patient:" not in text and "Date of birth" not in text and "Zoë" not in text
    patient = _resources(build_bundle(collect_report(fresh_db, now=NOW, zone=ZONE)), "Patient")[0]
    assert patient == {"resourceType": "Patient"}


def test_an_empty_diary_still_makes_a_report(fresh_db, tmp_path):
    pdf = export_report(fresh_db, "pdf", tmp_path / "empty.pdf", now=NOW, zone=ZONE)
    assert "No procedures are recorded." in _pdf_text(pdf)
    fhir = export_report(fresh_db, "fhir", tmp_path / "empty.json", now=NOW, zone=ZONE)
    _validate(json.loads(fhir.read_text(encoding="utf-8")))


def _resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _validate(bundle: dict):
    from fhir.resources import __fhir_version__
    from fhir.resources.bundle import Bundle

    assert __fhir_version__ == "4.0.1"  # R4
    return Bundle.parse_obj(bundle)


def test_the_fhir_bundle_is_valid_r4(fresh_db, story, tmp_path):
    path = export_report(fresh_db, "fhir", tmp_path, now=NOW, zone=ZONE)
    assert path.name == default_filename("fhir", NOW) == "facet-report-2026-09-01.json"
    bundle = json.loads(path.read_text(encoding="utf-8"))
    parsed = _validate(bundle)
    assert parsed.type == "collection"
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert all(u.startswith("urn:uuid:") for u in urls) and len(set(urls)) == len(urls)
    references = {r["reference"] for e in bundle["entry"] for r in _all_references(e["resource"])}
    assert references <= set(urls)

    [patient] = _resources(bundle, "Patient")
    assert patient["name"] == [{"text": NAME}] and patient["birthDate"] == "1961-04-23"

    procedures = _resources(bundle, "Procedure")
    assert [p["code"]["coding"][0]["code"] for p in procedures] == [
        "test-block",
        "confirm-block",
        "rfa",
    ]
    first = procedures[0]
    assert first["performedDateTime"] == "2026-01-13T13:00:00+00:00"
    assert first["status"] == "completed"
    assert first["bodySite"][0]["text"] == (
        "Lower back facet joints (medial branches), both sides, L4-L5, L5-S1"
    )
    laterality = first["bodySite"][0]["extension"][0]["valueCodeableConcept"]["coding"][0]
    assert laterality["code"] == "51440002"
    assert first["usedCode"] == [{"text": "Lidocaine"}]

    observations = _resources(bundle, "Observation")
    pain = [o for o in observations if o["code"]["coding"][0]["code"] == "72514-3"]
    scored = [o for o in pain if "valueInteger" in o]
    missed = [o for o in pain if "dataAbsentReason" in o]
    # 2 blocks x 2 sides: 4 baselines + (10 + 11) prompts x 2 sides; 5 outcome scores; the
    # everyday diary: 2 entries' overall scores and 1 area score.
    assert len(scored) == 4 + 21 * 2 + 5 + 3
    assert len(missed) == 1 and missed[0]["status"] == "cancelled"
    # A missed prompt is dated when it was due (4 hours after the first block), not when it closed.
    assert missed[0]["effectiveDateTime"] == "2026-01-13T17:00:00+00:00"
    assert all(o["category"][0]["coding"][0]["code"] == "survey" for o in pain)
    assert all(0 <= o["valueInteger"] <= 10 for o in scored)
    right_15 = next(
        o
        for o in scored
        if o.get("bodySite", {}).get("text") == "Lower back, right side"
        and o["method"]["text"] == "Timed diary, 15 minutes after the block"
    )
    assert right_15["valueInteger"] == 0
    assert right_15["effectiveDateTime"] == "2026-01-13T13:15:40+00:00"

    pegs = [o for o in observations if o["code"]["coding"][0]["code"] == "91147-9"]
    assert [p["valueQuantity"]["value"] for p in pegs] == [7.0, 4.3, 2.3, 6.0, 5.7]
    assert pegs[0]["note"] == [{"text": PEG_CODE_NOTE}]
    assert [c["valueInteger"] for c in pegs[0]["component"]] == [7, 8, 6]

    reliefs = [o for o in observations if o["code"]["coding"][0]["system"] == RELIEF_SYSTEM]
    assert len(reliefs) == 4
    right_first = reliefs[1]
    assert right_first["bodySite"]["text"] == "Lower back, right side"
    assert right_first["valueQuantity"] == {
        "value": 100.0,
        "unit": "%",
        "system": "http://unitsofmeasure.org",
        "code": "%",
    }
    components = {c["code"]["coding"][0]["code"]: c for c in right_first["component"]}
    assert components["hours-at-threshold"]["valueQuantity"]["value"] == 2.0
    assert components["threshold"]["valueQuantity"]["value"] == 80
    assert components["baseline"]["valueInteger"] == 7
    assert components["fits-anaesthetic"]["valueCodeableConcept"]["coding"][0]["code"] == "fits"
    assert components["reached-threshold"]["valueBoolean"] is True
    assert components["lasted-as-expected"]["valueBoolean"] is True
    left_first = {c["code"]["coding"][0]["code"]: c for c in reliefs[0]["component"]}
    assert left_first["lasted-as-expected"]["valueBoolean"] is False  # 45 min, lidocaine 1-2 h
    assert len(right_first["derivedFrom"]) == 1 + 10  # the baseline and ten scores
    statuses = {o["status"] for o in observations}
    assert statuses <= {"final", "cancelled"}  # codes from the R4 value set


def test_a_zero_baseline_relief_summary_says_why_it_is_absent(fresh_db, story):
    from app.domain.block_diary import Baseline

    BlockDiaryRepository(fresh_db).save_baseline(
        story["first"], Baseline("lower_back", "left", 0, NOW, ZONE)
    )
    bundle = build_bundle(collect_report(fresh_db, now=NOW, zone=ZONE))
    _validate(bundle)
    left = [
        o
        for o in _resources(bundle, "Observation")
        if o["code"]["coding"][0]["system"] == RELIEF_SYSTEM
    ][0]
    assert "valueQuantity" not in left
    assert left["dataAbsentReason"]["text"].startswith("Relief in percent cannot be worked out")


def _all_references(value):
    if isinstance(value, dict):
        if set(value) >= {"reference"}:
            yield value
        for item in value.values():
            yield from _all_references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _all_references(item)


def test_the_csv_reads_back_into_every_field(fresh_db, story, tmp_path):
    path = export_report(fresh_db, "csv", tmp_path, now=NOW, zone=ZONE)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a byte-order mark for spreadsheet programs
    with open(path, encoding="utf-8-sig", newline="") as file:
        contents = read_report_csv(file)
    store = BlockDiaryRepository(fresh_db)
    assert contents.diary == list(DiaryRepository(fresh_db).since())
    assert contents.prompts == list(store.all_prompt_entries())
    assert contents.baselines == [
        (pid, b) for pid in (story["first"], story["second"]) for b in store.baselines(pid)
    ]
    assert contents.outcomes == OutcomeRepository(fresh_db).checkins()
    assert any("🐕" in p.activity for p in contents.prompts)
    assert any("😊" in c.note and "Лучше" in c.note for c in contents.outcomes)
    assert contents.diary[0].note == "Line one\nline two, “quoted”"
    assert contents.diary[1].note == "'starts with a quote"
    text = raw.decode("utf-8-sig")
    assert "'=SUM(A1) sweeping" in text  # never run as a formula
    assert "lower_back:right:100.0" in text  # the relief column


def test_the_csv_streams_with_progress(fresh_db, story):
    data = collect_report(fresh_db, now=NOW, zone=ZONE)
    out = io.StringIO()
    steps = []
    write_report_csv(
        out,
        data,
        diary_entries=DiaryRepository(fresh_db).since(),
        diary_count=2,
        progress=lambda f, m: steps.append(f),
    )
    assert steps[-1] == 1.0
    assert out.getvalue().splitlines()[0].startswith("record,id,procedure_id,minutes,week")


def test_an_unknown_format_is_refused(fresh_db, tmp_path):
    with pytest.raises(ValueError):
        export_report(fresh_db, "docx", tmp_path, now=NOW, zone=ZONE)


def test_a_failed_export_leaves_no_half_written_file(fresh_db, story, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("app.services.reports.pdf_report.write_pdf", broken)
    out = tmp_path / "reports"
    with pytest.raises(RuntimeError):
        export_report(fresh_db, "pdf", out / "report.pdf", now=NOW, zone=ZONE)
    assert list(out.iterdir()) == []
