"""The Spanish is complete: every string the patient can see has its translation.

- every msgid extracted from app/**/*.py and app/**/*.kv (babel.cfg: not app/cli, which stays
  English) has a Spanish msgstr in the catalog merged from data/locale/es/*.po;
- a translation keeps the {placeholders} of its English, no more, no fewer;
- every Learn article has its Spanish file (data/learn/es/<id>.md), and every text of each
  built-in pathway (its title and description, each step's title and text, each checklist item
  and reminder) has its Spanish in data/pathways/es/<region>.toml, keyed by id.

Each test lists everything missing at once, with the file it comes from.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from string import Formatter

import pytest

from app.domain.learn import ARTICLE_IDS
from app.domain.pathway import REGIONS

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "installers"))
import catalog  # noqa: E402  (installers/catalog.py: the build's own merge and extraction)

LANGUAGE = "es"
SPANISH = catalog.LOCALE / LANGUAGE
# What a pathway file holds for the patient to read, by the table its items are in.
PATHWAY_TEXTS = {"steps": ("title", "text"), "checklist": ("text",), "reminders": ("text",)}


def _english(msgid) -> str:
    return msgid[0] if isinstance(msgid, tuple) else msgid


def _fields(text: str) -> list[str]:
    """The names of a str.format template's {fields}, sorted: "{} of {count}" -> ["", "count"]."""
    return sorted(
        name for _literal, name, _spec, _conversion in Formatter().parse(text) if name is not None
    )


@pytest.fixture(scope="module")
def merged():
    spanish, _origin = catalog.merged_catalog(SPANISH)
    return spanish


@pytest.fixture(scope="module")
def extracted() -> dict[object, list[str]]:
    """msgid -> the places it is used ("app/ui/screens/today.kv:12")."""
    places: dict[object, list[str]] = {}
    for path, line, msgid in catalog.extracted_messages(ROOT):
        places.setdefault(msgid, []).append(f"{path}:{line}")
    return places


def test_the_extraction_reads_python_and_kv_but_not_the_command_line(extracted):
    files = {place.rsplit(":", 1)[0] for places in extracted.values() for place in places}
    assert any(name.endswith(".py") for name in files)
    assert any(name.endswith(".kv") for name in files)
    assert not any(name.startswith("app/cli/") for name in files)
    assert ("in {count} day", "in {count} days") in extracted  # app/domain/dates.py's ngettext


def test_every_string_of_the_app_has_its_spanish(merged, extracted):
    missing = []
    for msgid, places in sorted(extracted.items(), key=lambda item: item[1][0]):
        message = merged.get(_english(msgid))
        plural_ok = isinstance(msgid, tuple) == isinstance(message.id, tuple) if message else False
        if message is None or not plural_ok:
            missing.append(f"{', '.join(places)}: {msgid!r}")
    assert not missing, (
        f"{len(missing)} strings have no Spanish in data/locale/es/*.po:\n" + "\n".join(missing)
    )


def test_every_translation_keeps_the_placeholders_of_its_english(merged):
    wrong = []
    for message in merged:
        if not message.id:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        spanish = message.string if isinstance(message.string, tuple) else (message.string,)
        try:
            # A plural's forms may each leave out the count ("one day"), but together they
            # use the English's fields, and no form has one the English has not.
            wanted = sorted(set().union(*map(_fields, english)))
            forms = [_fields(text) for text in spanish]
            if len(english) == 1:
                ok = forms == [_fields(english[0])]
            else:
                ok = sorted(set().union(*map(set, forms))) == wanted and all(
                    set(form) <= set(wanted) for form in forms
                )
        except ValueError as problem:  # a stray { or }
            wrong.append(f"{english[0]!r}: {problem}")
            continue
        if not ok:
            wrong.append(f"{english[0]!r} -> {spanish!r}")
    assert not wrong, "placeholders differ between English and Spanish:\n" + "\n".join(wrong)


def test_every_learn_article_has_its_spanish_file():
    missing = [
        f"data/learn/{LANGUAGE}/{article}.md"
        for article in ARTICLE_IDS
        if not (ROOT / "data" / "learn" / LANGUAGE / f"{article}.md").is_file()
    ]
    assert not missing, "Learn articles without their Spanish file:\n" + "\n".join(missing)


@pytest.mark.parametrize("region", REGIONS)
def test_every_pathway_text_has_its_spanish(region):
    english = tomllib.loads((ROOT / "data/pathways" / f"{region}.toml").read_text("utf-8"))
    spanish_path = ROOT / "data/pathways" / LANGUAGE / f"{region}.toml"
    assert spanish_path.is_file(), f"{spanish_path.relative_to(ROOT)} is missing"
    spanish = tomllib.loads(spanish_path.read_text("utf-8"))
    missing, wrong = [], []

    def check(where: str, english_text: str, spanish_text) -> None:
        if not isinstance(spanish_text, str) or not spanish_text.strip():
            missing.append(where)
        elif _fields(english_text) != _fields(spanish_text):
            wrong.append(f"{where}: {_fields(english_text)} -> {_fields(spanish_text)}")

    for key in ("title", "description"):
        check(key, english[key], spanish.get(key))
    for table, keys in PATHWAY_TEXTS.items():
        for item in english.get(table, []):
            translated = spanish.get(table, {}).get(item["id"], {})
            for key in keys:
                if key in item:
                    check(f"[{table}.{item['id']}] {key}", item[key], translated.get(key))
    assert not missing, f"{spanish_path.relative_to(ROOT)} has no Spanish for:\n" + "\n".join(
        missing
    )
    assert not wrong, f"placeholders differ in {spanish_path.relative_to(ROOT)}:\n" + "\n".join(
        wrong
    )
