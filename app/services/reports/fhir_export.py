"""The report as an HL7 FHIR R4 Bundle (type "collection") in JSON.

- Patient: always present, as the subject the other resources point to; it holds the name and
  the date of birth only when the patient entered them.
- Procedure: one per block and RFA: a local code for the kind (and a CPT coding beside it only
  when the clinic entered the code for that kind and region in its settings: CPT is licensed, so
  the app never supplies one), performedDateTime, bodySite with the region (SNOMED CT), the
  levels and side in its text and the side as a laterality extension (SNOMED CT qualifier); the
  anaesthetic in usedCode and a note.
- Observation per pain score (LOINC 72514-3, pain severity 0-10, valueInteger, category
  survey): each block baseline, each area score of each answered prompt, each score entered
  from the paper diary (with an `ENTERED_FROM_EXTENSION` of "paper" and a note saying so), each
  everyday diary entry (its overall score, and each area score with its bodySite) and each
  outcome check-in. A missed prompt is an Observation with status "cancelled" and
  dataAbsentReason "not-performed", dated when it was due.
- Observation for each PEG (LOINC 91147-9 "Mean score [PEG]", with the three items as
  components). The code is the one the CDC opioid and cds4cpm implementation guides use; a note
  in the resource says to check it before relying on it.
- Observation for each block's relief summary per area and side, with a local code system
  (`RELIEF_SYSTEM`): the peak relief in percent, with components for the hours at or above the
  threshold, the threshold, the baseline, whether the duration fits the anaesthetic, and the
  two parts of the rule (reached the threshold; lasted as long as the anaesthetic is expected
  to) as booleans, absent when they cannot be told.

Every entry has a fullUrl `urn:uuid:...`; references use those URNs.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain.block_diary import (
    FROM_EVERYDAY,
    AreaRelief,
    PaperScore,
    area_label,
    minutes_words,
    prompt_due,
)
from app.domain.block_diary_words import area_notes, area_sentence, fit_explanation
from app.domain.diary import PainEntry
from app.domain.outcomes import OutcomeCheckIn
from app.domain.pathway import PROCEDURE_LABELS, REGION_LABELS
from app.domain.plan import Procedure
from app.i18n import _

if TYPE_CHECKING:
    from app.services.reports import Progress, ReportData

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
LOCAL = "http://facet-companion.example"
RELIEF_SYSTEM = f"{LOCAL}/CodeSystem/relief"
PROCEDURE_SYSTEM = f"{LOCAL}/CodeSystem/procedure"
FIT_SYSTEM = f"{LOCAL}/CodeSystem/anaesthetic-fit"
LATERALITY_EXTENSION = f"{LOCAL}/StructureDefinition/laterality"
ENTERED_FROM_EXTENSION = f"{LOCAL}/StructureDefinition/entered-from"
CPT = "http://www.ama-assn.org/go/cpt"
PAPER_NOTE = "Entered from the clinic's paper diary, after the block."

PAIN_CODE = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
PEG_CODE = {"system": LOINC, "code": "91147-9", "display": "Mean score [PEG]"}
PEG_ITEM_CODES = {
    "pain": ("75893-8", "Pain intensity on average in the past week"),
    "enjoyment": ("91145-3", "Pain interference with enjoyment of life in the past week"),
    "activity": ("91146-1", "Pain interference with general activity in the past week"),
}
PEG_CODE_NOTE = (
    "LOINC 91147-9 (and the item codes) as used in the CDC opioid and cds4cpm FHIR "
    "implementation guides; check them against LOINC before relying on them."
)
REGION_CODES = {
    "lumbar": {"system": SNOMED, "code": "122496007", "display": "Lumbar spine structure"},
    "cervical": {"system": SNOMED, "code": "122494005", "display": "Cervical spine structure"},
}
LATERALITY = {
    "left": {"system": SNOMED, "code": "7771000", "display": "Left"},
    "right": {"system": SNOMED, "code": "24028007", "display": "Right"},
    "both": {"system": SNOMED, "code": "51440002", "display": "Right and left"},
}
SURVEY = [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}]


def build_bundle(
    data: ReportData, progress: Progress | None = None, *, diary_entries: Iterable[PainEntry] = ()
) -> dict[str, Any]:
    """The Bundle; `diary_entries` is the everyday pain diary, oldest first."""
    report = progress or (lambda fraction, message: None)
    entries: list[dict[str, Any]] = []

    def add(resource: dict[str, Any]) -> str:
        url = f"urn:uuid:{uuid.uuid4()}"
        entries.append({"fullUrl": url, "resource": resource})
        return url

    patient: dict[str, Any] = {"resourceType": "Patient"}
    if data.patient.name:
        patient["name"] = [{"text": data.patient.name}]
    if data.patient.birth_date:
        patient["birthDate"] = data.patient.birth_date.isoformat()
    subject = {"reference": add(patient)}

    procedure_urls = {p.id: add(_procedure(p, subject, data)) for p in data.procedures}
    report(0.1, _("Procedures"))
    # The everyday diary's area scores by (time, area, side), so a block's relief summary can
    # point to the ones logged during its diary's hours.
    everyday_urls: dict[tuple, str] = {}
    for entry in diary_entries:
        add(
            _pain(
                subject,
                [],
                entry.at,
                entry.score,
                None,
                None,
                entry.note,
                "Everyday pain diary, overall score",
            )
        )
        for score in entry.areas:
            everyday_urls[(entry.at, score.area, score.side)] = add(
                _pain(
                    subject,
                    [],
                    entry.at,
                    score.score,
                    score.area,
                    score.side,
                    "",
                    "Everyday pain diary",
                )
            )
    report(0.2, _("Everyday diary"))
    for index, block in enumerate(data.blocks):
        part_of = [{"reference": procedure_urls[block.procedure.id]}]
        score_urls: dict[tuple[str, str], list[str]] = {}
        for baseline in block.baselines:
            url = add(
                _pain(
                    subject,
                    part_of,
                    baseline.at,
                    baseline.score,
                    baseline.area,
                    baseline.side,
                    "Usual pain before the block"
                    + (f", during: {baseline.activity}" if baseline.activity else ""),
                    "Baseline (usual pain before the block)",
                )
            )
            score_urls.setdefault((baseline.area, baseline.side), []).append(url)
        for prompt in block.entries:
            method = f"Timed diary, {minutes_words(prompt.minutes)} after the block"
            if prompt.missed:
                # Dated when the question was due: that is the moment it was not answered.
                due = prompt_due(block.procedure.at, prompt.minutes)
                add(_missed(subject, part_of, due, method))
                continue
            for score in prompt.scores:
                note = f"Doing: {prompt.activity}" if prompt.activity else ""
                url = add(
                    _pain(
                        subject,
                        part_of,
                        prompt.at,
                        score.score,
                        score.area,
                        score.side,
                        note,
                        method,
                    )
                )
                score_urls.setdefault((score.area, score.side), []).append(url)
        for paper in block.papers:
            url = add(_paper(subject, part_of, paper))
            score_urls.setdefault((paper.area, paper.side), []).append(url)
        for area in block.analysis.areas:
            derived = score_urls.get((area.area, area.side), [])
            derived += [
                everyday_urls[(p.at, area.area, area.side)]
                for p in area.points
                if p.source == FROM_EVERYDAY and (p.at, area.area, area.side) in everyday_urls
            ]
            add(_relief(subject, part_of, block.procedure, area, derived, data))
        report(0.2 + 0.6 * (index + 1) / max(len(data.blocks), 1), _("Block diaries"))
    for rfa in data.rfas:
        part_of = [{"reference": procedure_urls[rfa.procedure.id]}]
        for checkin in rfa.checkins:
            add(
                _pain(
                    subject,
                    part_of,
                    checkin.at,
                    checkin.pain,
                    None,
                    None,
                    checkin.note,
                    _checkin_words(checkin),
                )
            )
            if checkin.peg is not None:
                add(_peg(subject, part_of, checkin))
    report(1.0, _("FHIR Bundle built"))
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "collection",
        "timestamp": _instant(data.generated_at),
        "entry": entries,
    }


def write_fhir(
    data: ReportData,
    path: str | Path,
    progress: Progress | None = None,
    *,
    diary_entries: Iterable[PainEntry] = (),
) -> None:
    bundle = build_bundle(data, progress, diary_entries=diary_entries)
    Path(path).write_text(json.dumps(bundle, ensure_ascii=False, indent=1), encoding="utf-8")


def _procedure(procedure: Procedure, subject: dict, data: ReportData) -> dict[str, Any]:
    region = REGION_LABELS[procedure.region]
    side = "both sides" if procedure.side == "both" else f"{procedure.side} side"
    site = f"{region} facet joints (medial branches), {side}"
    if procedure.levels:
        site += f", {procedure.levels}"
    coding = [
        {
            "system": PROCEDURE_SYSTEM,
            "code": procedure.kind,
            "display": PROCEDURE_LABELS[procedure.kind],
        }
    ]
    cpt = data.clinic.procedure_code(procedure.kind, procedure.region)
    if cpt:
        coding.append({"system": CPT, "code": cpt})
    resource: dict[str, Any] = {
        "resourceType": "Procedure",
        "status": "completed" if procedure.at <= data.generated_at else "preparation",
        "code": {"coding": coding, "text": PROCEDURE_LABELS[procedure.kind]},
        "subject": subject,
        "performedDateTime": _instant(procedure.at),
        "bodySite": [_site(site, procedure.side, REGION_CODES[procedure.region])],
    }
    if procedure.anaesthetic:
        resource["usedCode"] = [{"text": procedure.anaesthetic.capitalize()}]
        resource["note"] = [{"text": f"Local anaesthetic: {procedure.anaesthetic}"}]
    return resource


def _site(text: str, side: str | None, coding: dict | None = None) -> dict[str, Any]:
    site: dict[str, Any] = {"text": text}
    if coding:
        site["coding"] = [coding]
    if side:
        site["extension"] = [
            {
                "url": LATERALITY_EXTENSION,
                "valueCodeableConcept": {
                    "coding": [LATERALITY[side]],
                    "text": LATERALITY[side]["display"],
                },
            }
        ]
    return site


def _observation(subject: dict, part_of: list, at, method: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": SURVEY,
        "subject": subject,
        "partOf": part_of,
        "effectiveDateTime": _instant(at),
        "method": {"text": method},
    }


def _pain(
    subject: dict,
    part_of: list,
    at,
    score: int,
    area: str | None,
    side: str | None,
    note: str,
    method: str,
) -> dict[str, Any]:
    resource = _observation(subject, part_of, at, method)
    if not part_of:
        del resource["partOf"]
    resource["code"] = {"coding": [PAIN_CODE], "text": "Pain score (0 to 10)"}
    resource["valueInteger"] = score
    if area and side:
        resource["bodySite"] = _site(area_label(area, side), side)
    if note:
        resource["note"] = [{"text": note}]
    return resource


def _paper(subject: dict, part_of: list, paper: PaperScore) -> dict[str, Any]:
    method = f"Paper diary, {minutes_words(paper.minutes)} after the block"
    note = PAPER_NOTE + (f" Doing: {paper.activity}" if paper.activity else "")
    resource = _pain(subject, part_of, paper.at, paper.score, paper.area, paper.side, note, method)
    resource["extension"] = [{"url": ENTERED_FROM_EXTENSION, "valueCode": "paper"}]
    return resource


def _missed(subject: dict, part_of: list, at, method: str) -> dict[str, Any]:
    resource = _observation(subject, part_of, at, method)
    resource["status"] = "cancelled"
    resource["code"] = {"coding": [PAIN_CODE], "text": "Pain score (0 to 10)"}
    resource["dataAbsentReason"] = {
        "coding": [{"system": DATA_ABSENT, "code": "not-performed", "display": "Not Performed"}],
        "text": "Missed prompt: not answered in time, never filled in afterwards",
    }
    return resource


def _relief(
    subject: dict,
    part_of: list,
    procedure: Procedure,
    area: AreaRelief,
    derived: list[str],
    data: ReportData,
) -> dict[str, Any]:
    resource = _observation(
        subject,
        part_of,
        procedure.at,
        "Relief (%) = (baseline - score) / baseline x 100, per area and side",
    )
    resource["code"] = {
        "coding": [
            {
                "system": RELIEF_SYSTEM,
                "code": "relief-summary",
                "display": "Block diary relief summary",
            }
        ],
        "text": "Peak relief after the block (%)",
    }
    resource["bodySite"] = _site(area_label(area.area, area.side), area.side)
    if area.peak is not None:
        resource["valueQuantity"] = _percent(area.peak)
    else:
        notes = area_notes(area)
        resource["dataAbsentReason"] = {
            "coding": [
                {"system": DATA_ABSENT, "code": "not-applicable", "display": "Not Applicable"}
            ],
            "text": notes[0] if notes else "Relief cannot be worked out",
        }
    components = [
        _component(
            "hours-at-threshold",
            f"Hours at or above {area.threshold}% relief",
            {
                "valueQuantity": {
                    "value": round(area.hours_at_threshold, 2),
                    "unit": "h",
                    "system": UCUM,
                    "code": "h",
                }
            }
            if area.hours_at_threshold is not None
            else None,
        ),
        _component(
            "threshold",
            "The clinic's relief threshold",
            {"valueQuantity": _percent(area.threshold)},
        ),
        _component(
            "baseline",
            "Usual pain before the block (0 to 10)",
            {"valueInteger": area.baseline} if area.baseline is not None else None,
        ),
        _component(
            "fits-anaesthetic",
            "Duration fits the anaesthetic used",
            {
                "valueCodeableConcept": {
                    "coding": [{"system": FIT_SYSTEM, "code": area.fit.verdict}],
                    "text": fit_explanation(area.fit),
                }
            },
        ),
        # The two parts of the rule; absent means "can't tell".
        _component(
            "reached-threshold",
            f"Relief reached {area.threshold}%",
            _boolean(area.reached_threshold),
        ),
        _component(
            "lasted-as-expected",
            "Relief at or above the threshold lasted as long as the anaesthetic is expected to",
            _boolean(area.lasted_as_expected),
        ),
    ]
    if area.peak_minutes is not None:
        components.append(
            _component(
                "peak-minutes",
                "Minutes after the block of the peak",
                {
                    "valueQuantity": {
                        "value": area.peak_minutes,
                        "unit": "min",
                        "system": UCUM,
                        "code": "min",
                    }
                },
            )
        )
    resource["component"] = components
    resource["note"] = [
        {"text": text}
        for text in (area_sentence(area), *area_notes(area), fit_explanation(area.fit))
    ]
    if derived:
        resource["derivedFrom"] = [{"reference": url} for url in derived]
    return resource


def _boolean(value: bool | None) -> dict[str, Any] | None:
    return None if value is None else {"valueBoolean": value}


def _component(code: str, text: str, value: dict | None) -> dict[str, Any]:
    component: dict[str, Any] = {
        "code": {"coding": [{"system": RELIEF_SYSTEM, "code": code}], "text": text}
    }
    if value is None:
        component["dataAbsentReason"] = {
            "coding": [
                {"system": DATA_ABSENT, "code": "not-applicable", "display": "Not Applicable"}
            ]
        }
    else:
        component.update(value)
    return component


def _peg(subject: dict, part_of: list, checkin: OutcomeCheckIn) -> dict[str, Any]:
    peg = checkin.peg
    assert peg is not None
    resource = _observation(subject, part_of, checkin.at, _checkin_words(checkin))
    resource["code"] = {
        "coding": [PEG_CODE],
        "text": "PEG score: mean of pain, enjoyment of life and general activity (0 to 10)",
    }
    resource["valueQuantity"] = {
        "value": peg.score,
        "unit": "{score}",
        "system": UCUM,
        "code": "{score}",
    }
    resource["component"] = [
        {
            "code": {
                "coding": [{"system": LOINC, "code": code, "display": display}],
                "text": display,
            },
            "valueInteger": getattr(peg, item),
        }
        for item, (code, display) in PEG_ITEM_CODES.items()
    ]
    resource["note"] = [{"text": PEG_CODE_NOTE}]
    return resource


def _checkin_words(checkin: OutcomeCheckIn) -> str:
    if checkin.is_baseline:
        return "Before the RFA (baseline)"
    return f"Check-in {checkin.week} weeks after the RFA"


def _percent(value: float) -> dict[str, Any]:
    return {"value": round(value, 1), "unit": "%", "system": UCUM, "code": "%"}


def _instant(at) -> str:
    return at.isoformat(timespec="seconds")
