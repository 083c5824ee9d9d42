"""The reports with paper diary scores, the everyday diary around a block, the clinic's CPT codes
and sections left out when they have nothing to show."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from pypdf import PdfReader

from app.domain.block_diary import PaperScore
from app.domain.clinic import validate_clinic
from app.domain.diary import AreaScore, PainEntry
from app.domain.plan import Procedure
from app.services.reports import collect_report, export_report
from app.services.reports.csv_export import read_report_csv
from app.services.reports.fhir_export import (
    CPT,
    ENTERED_FROM_EXTENSION,
    PAPER_NOTE,
    build_bundle,
)
from app.store.block_diary_repository import BlockDiaryRepository
from app.store.diary_repository import DiaryRepository
from app.store.plan_repository import PlanRepository
from app.store.settings_repository import SettingsRepository
from tests.services.report_story import FIRST_BLOCK, NOW, ZONE, build_story
from tests.services.test_reports import _pdf_text, _resources, _validate


@pytest.fixture
def story(fresh_db):
    ids = build_story(fresh_db)
    # The first block's 4-hour prompt was missed; the patient's paper form has 5 and 2 there
    # (left, right), and a right-side score at 4 h 30 min.
    first = ids["first"]
    BlockDiaryRepository(fresh_db).add_paper_scores(
        [
            PaperScore(
                first,
                FIRST_BLOCK + timedelta(minutes=240),
                ZONE,
                240,
                "lower_back",
                "left",
                5,
                "ironing",
            ),
            PaperScore(
                first,
                FIRST_BLOCK + timedelta(minutes=240),
                ZONE,
                240,
                "lower_back",
                "right",
                2,
                "ironing",
            ),
            PaperScore(
                first, FIRST_BLOCK + timedelta(minutes=270), ZONE, 270, "lower_back", "right", 3
            ),
        ]
    )
    # The everyday diary: one entry a day, from 3 days before the first block to 14 days after.
    diary = DiaryRepository(fresh_db)
    for day in range(-3, 15):
        at = FIRST_BLOCK + timedelta(days=day, hours=-3)
        diary.add(
            PainEntry(
                6 if day < 1 else 5,
                at,
                ZONE,
                (AreaScore("lower_back", "right", 6 if day < 1 else 5),),
            )
        )
    return ids


def test_the_pdf_marks_paper_scores_and_shows_the_daily_trend(fresh_db, story, tmp_path):
    text = _pdf_text(export_report(fresh_db, "pdf", tmp_path / "r.pdf", now=NOW, zone=ZONE))
    flat = text.replace("\n", " ")
    assert "5†" in flat and "2†" in flat and "3†" in flat
    assert "4:30" in flat  # the paper score's own time is a column of the table
    assert "† entered from the clinic's paper diary" in flat
    assert "Everyday diary around the block: average pain of each day (0–10)" in flat
    assert "block" in flat and "6.0" in flat and "5.0" in flat
    # The days a week before and two weeks after the first block are labelled by date.
    assert "6 Jan" in flat and "27 Jan" in flat


def test_the_fhir_bundle_has_one_observation_per_score_and_marks_paper(fresh_db, story):
    data = collect_report(fresh_db, now=NOW, zone=ZONE)
    entries = list(DiaryRepository(fresh_db).since())
    bundle = build_bundle(data, diary_entries=entries)
    _validate(bundle)
    pain = [
        o
        for o in _resources(bundle, "Observation")
        if o["code"]["coding"][0]["code"] == "72514-3" and "valueInteger" in o
    ]
    everyday_scores = sum(1 + len(e.areas) for e in entries)
    # 4 baselines, 21 answered prompts x 2 sides, 3 paper scores, 5 check-ins, the diary.
    assert len(pain) == 4 + 42 + 3 + 5 + everyday_scores
    paper = [o for o in pain if o.get("extension")]
    assert len(paper) == 3
    assert all(
        o["extension"] == [{"url": ENTERED_FROM_EXTENSION, "valueCode": "paper"}] for o in paper
    )
    assert paper[0]["note"][0]["text"] == PAPER_NOTE + " Doing: ironing"
    assert paper[2]["method"]["text"] == "Paper diary, 4 hours 30 minutes after the block"
    assert paper[2]["effectiveDateTime"] == "2026-01-13T17:30:00+00:00"
    # The first block's right-side relief summary points to its two right-side paper scores.
    reliefs = [
        o
        for o in _resources(bundle, "Observation")
        if o["code"]["coding"][0]["code"] == "relief-summary"
    ]
    paper_urls = {
        e["fullUrl"]
        for e in bundle["entry"]
        if e["resource"].get("extension") and e["resource"]["resourceType"] == "Observation"
    }
    assert len({r["reference"] for r in reliefs[1]["derivedFrom"]} & paper_urls) == 2


def test_everyday_scores_during_the_diary_are_referenced_by_the_relief_summary(fresh_db, story):
    during = FIRST_BLOCK + timedelta(minutes=100)
    DiaryRepository(fresh_db).add(
        PainEntry(1, during, ZONE, (AreaScore("lower_back", "right", 1),))
    )
    bundle = build_bundle(
        collect_report(fresh_db, now=NOW, zone=ZONE),
        diary_entries=DiaryRepository(fresh_db).since(),
    )
    _validate(bundle)
    url = next(
        e["fullUrl"]
        for e in bundle["entry"]
        if e["resource"].get("effectiveDateTime") == "2026-01-13T14:40:00+00:00"
        and "bodySite" in e["resource"]
    )
    reliefs = [
        o
        for o in _resources(bundle, "Observation")
        if o["code"]["coding"][0]["code"] == "relief-summary"
    ]
    assert url in {r["reference"] for r in reliefs[1]["derivedFrom"]}


def test_a_cpt_code_only_when_the_clinic_entered_it(fresh_db, story):
    bundle = build_bundle(collect_report(fresh_db, now=NOW, zone=ZONE))
    assert all(len(p["code"]["coding"]) == 1 for p in _resources(bundle, "Procedure"))
    SettingsRepository(fresh_db).save_clinic(
        validate_clinic({"procedure_codes": {"block-lumbar": "64493", "rfa-cervical": "64633"}})
    )
    bundle = build_bundle(collect_report(fresh_db, now=NOW, zone=ZONE))
    _validate(bundle)
    codings = [p["code"]["coding"] for p in _resources(bundle, "Procedure")]
    assert codings[0][1] == {"system": CPT, "code": "64493"}  # beside the local code
    assert codings[0][0]["code"] == "test-block"
    assert codings[1][1] == {"system": CPT, "code": "64493"}  # the confirming block too
    assert len(codings[2]) == 1  # a lumbar RFA: the clinic entered only a cervical RFA code


def test_the_csv_has_a_paper_column_and_reads_paper_scores_back(fresh_db, story, tmp_path):
    path = export_report(fresh_db, "csv", tmp_path / "r.csv", now=NOW, zone=ZONE)
    with open(path, encoding="utf-8-sig", newline="") as file:
        contents = read_report_csv(file)
    assert contents.papers == BlockDiaryRepository(fresh_db).paper_scores()
    text = path.read_text(encoding="utf-8-sig")
    header = text.splitlines()[0].split(",")
    rows = [line.split(",") for line in text.splitlines()[1:]]
    paper_rows = [r for r in rows if r[0] == "block_paper"]
    assert len(paper_rows) == 3
    assert all(r[header.index("paper")] == "1" for r in paper_rows)
    assert all(r[header.index("paper")] == "0" for r in rows if r[0] == "block_prompt")
    assert paper_rows[1][header.index("relief")] == "lower_back:right:71.4"


def test_sections_with_nothing_to_show_are_left_out(fresh_db, tmp_path):
    plans = PlanRepository(fresh_db)
    plans.add_procedure(
        Procedure("test-block", "lumbar", "right", NOW - timedelta(days=9), ZONE, "lidocaine")
    )
    plans.add_procedure(
        Procedure("confirm-block", "lumbar", "right", NOW - timedelta(days=5), ZONE, "bupivacaine")
    )
    plans.add_procedure(Procedure("rfa", "lumbar", "right", NOW + timedelta(days=9), ZONE))
    text = _pdf_text(export_report(fresh_db, "pdf", tmp_path / "r.pdf", now=NOW, zone=ZONE))
    assert "Procedures" in text and "Confirming block" in text
    for left_out in (
        "No baseline or diary scores",
        "The two blocks compared",
        "Outcomes after the RFA",
        "No baseline or check-ins",
        "Everyday diary around the block",
    ):
        assert left_out not in text
    assert len(PdfReader(tmp_path / "r.pdf").pages) == 1
    # With an everyday diary around the first block, that block's section comes back with
    # only its trend.
    DiaryRepository(fresh_db).add(PainEntry(4, NOW - timedelta(days=8), ZONE))
    text = _pdf_text(
        export_report(fresh_db, "pdf", tmp_path / "r.pdf", now=NOW, zone=ZONE, if_exists="replace")
    )
    assert "Everyday diary around the block" in text and "4.0" in text
    assert "The two blocks compared" not in text
    json.dumps(build_bundle(collect_report(fresh_db, now=NOW, zone=ZONE)))
