"""The Learn articles and the pathway texts in Spanish: every one has its Spanish file, the file
says the same things in the same shape (headings, lists, numbers, the clinic's placeholders), and
the app reads it when the patient's language is Spanish, English when a file is missing."""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from app import i18n
from app.domain.learn import ARTICLE_IDS, fill_placeholders
from app.domain.pathway import REGIONS
from app.services.pathways import PathwayService, builtin_pathway, choose_pathway
from app.services.resources import all_articles, load_article
from app.store.settings_repository import SettingsRepository

CHECKOUT = Path(__file__).parents[2]
SPANISH = "es"
BRANDS = (
    "Ozempic",
    "Wegovy",
    "Rybelsus",
    "Mounjaro",
    "Zepbound",
    "Victoza",
    "Saxenda",
    "Trulicity",
    "Medicare",
    "FACTS",
)


def numbers(text: str) -> list[str]:
    """Every number in a text, in order ("38 °C (100.4 °F)" -> 38, 100, 4): a translation keeps
    each dose, time and temperature."""
    return re.findall(r"\d+", text)


def placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"\{\w+\}", text))


def names(text: str) -> list[str]:
    return [brand for brand in BRANDS for _ in range(text.count(brand))]


@pytest.fixture
def patient_language(monkeypatch):
    """Set the patient's language as the app does, for one test."""

    def use(code: str) -> None:
        monkeypatch.setattr(i18n, "language", lambda: code)

    return use


# ---------------------------------------------------------------- Learn articles


@pytest.mark.parametrize("article_id", ARTICLE_IDS)
def test_every_article_has_a_spanish_file_of_the_same_shape(article_id):
    assert (CHECKOUT / "data" / "learn" / SPANISH / f"{article_id}.md").is_file()
    english = load_article(article_id, language="en")
    spanish = load_article(article_id, language=SPANISH)
    assert (english.language, spanish.language) == ("en", SPANISH)
    assert spanish.title != english.title
    assert len(spanish.headings) == len(english.headings)
    # Block by block: a heading for a heading, a bullet for a bullet, a paragraph for a paragraph.
    assert [b.kind for b in spanish.blocks] == [b.kind for b in english.blocks]
    for theirs, ours in zip(english.blocks, spanish.blocks, strict=True):
        assert numbers(ours.text) == numbers(theirs.text), ours.text
        assert placeholders(ours.text) == placeholders(theirs.text), ours.text
        assert names(ours.text) == names(theirs.text), ours.text
        assert ours.text.count("**") == theirs.text.count("**"), ours.text


def test_the_spanish_articles_print_no_number_of_their_own():
    for article in all_articles(language=SPANISH):
        for block in article.blocks:
            assert not re.search(r"\b(911|999|112|000|111)\b", block.text), block.text


def test_the_patients_language_picks_the_article(patient_language):
    patient_language(SPANISH)
    assert load_article("when-to-call").title == "Cuándo llamar"
    assert [a.language for a in all_articles()] == [SPANISH] * len(ARTICLE_IDS)
    patient_language("en")
    assert load_article("when-to-call").title == "When to call"


def test_an_article_without_a_translation_is_shown_in_english(tmp_path):
    (tmp_path / "recovery.md").write_text("# Recovery\n\nText\n", encoding="utf-8")
    (tmp_path / SPANISH).mkdir()
    article = load_article("recovery", tmp_path, language=SPANISH)
    assert (article.title, article.language) == ("Recovery", "en")
    (tmp_path / SPANISH / "recovery.md").write_text("# Recuperación\n\nTexto\n", encoding="utf-8")
    article = load_article("recovery", tmp_path, language=SPANISH)
    assert (article.title, article.language) == ("Recuperación", SPANISH)
    assert load_article("recovery", language="fr").language == "en"


# ---------------------------------------------------------------- pathways


@pytest.mark.parametrize("region", REGIONS)
def test_every_pathway_text_has_its_spanish_entry(region):
    """Every step, checklist line and reminder of the English file, and nothing else."""
    path = CHECKOUT / "data" / "pathways" / SPANISH / f"{region}.toml"
    texts = tomllib.loads(path.read_text(encoding="utf-8"))
    english = builtin_pathway(region, "en")
    assert texts["pathway"] == english.id
    assert set(texts["steps"]) == {s.id for s in english.steps}
    assert all(set(entry) == {"title", "text"} for entry in texts["steps"].values())
    assert set(texts["checklist"]) == {i.id for i in english.checklist}
    assert set(texts["reminders"]) == {r.id for r in english.reminders}
    assert texts["title"] and texts["description"]


@pytest.mark.parametrize("region", REGIONS)
def test_a_spanish_step_says_the_same_in_the_same_shape(region):
    english = builtin_pathway(region, "en")
    spanish = builtin_pathway(region, SPANISH)
    assert spanish.language == SPANISH and spanish.title != english.title
    for theirs, ours in zip(english.steps, spanish.steps, strict=True):
        assert ours.title != theirs.title, ours.id
        assert ours.text != theirs.text, ours.id
        # The same checklist lines in the text, the same paragraphs, numbers and placeholders.
        lines = [re.findall(r"^- ", t, re.M) for t in (theirs.text, ours.text)]
        assert len(lines[0]) == len(lines[1]), ours.id
        assert theirs.text.count("\n\n") == ours.text.count("\n\n"), ours.id
        assert numbers(ours.title + ours.text) == numbers(theirs.title + theirs.text), ours.id
        assert placeholders(ours.text) == placeholders(theirs.text), ours.id
        assert names(ours.text) == names(theirs.text), ours.id
        # Everything but the words is the English file's own: dates, procedures, checklists.
        assert replace(ours, title=theirs.title, text=theirs.text) == theirs
    for theirs, ours in zip(
        english.checklist + english.reminders, spanish.checklist + spanish.reminders, strict=True
    ):
        assert ours.text != theirs.text, ours.id
        assert numbers(ours.text) == numbers(theirs.text), ours.id
        assert replace(ours, text=theirs.text) == theirs
    assert spanish.block_diary == english.block_diary
    assert spanish.outcome_weeks == english.outcome_weeks


@pytest.mark.parametrize("region", REGIONS)
def test_filled_spanish_steps_keep_no_braces(region):
    for step in builtin_pathway(region, SPANISH).steps:
        for emergency, phone in (("", ""), ("112", "555 0100")):
            filled = fill_placeholders(step.text, emergency_number=emergency, clinic_phone=phone)
            assert "{" not in filled and "}" not in filled, step.id


def test_the_patients_language_picks_the_pathway(patient_language, fresh_db):
    service = PathwayService(SettingsRepository(fresh_db))
    patient_language(SPANISH)
    assert builtin_pathway("lumbar").language == SPANISH
    assert service.for_region("lumbar").steps[0].title == (
        "Faltan dos semanas: para qué sirve el bloqueo de prueba"
    )
    # A change of language is used at once: the service does not keep the other language.
    patient_language("en")
    assert service.for_region("lumbar").steps[0].title == (
        "Two weeks to go: what the test block is for"
    )


def test_a_pathway_without_a_translation_is_shown_in_english():
    pathway = builtin_pathway("cervical", "fr")
    assert pathway.language == "en"
    assert pathway == builtin_pathway("cervical", "en")


def test_the_clinics_own_pathway_stays_as_the_clinic_wrote_it(tmp_path):
    text = (CHECKOUT / "data" / "pathways" / "lumbar.toml").read_text(encoding="utf-8")
    clinic_file = tmp_path / "ours.toml"
    clinic_file.write_text(
        text.replace(
            'title = "Blood thinners and your block"', 'title = "Our blood thinner talk"', 1
        ),
        encoding="utf-8",
    )
    pathway, problem = choose_pathway("lumbar", clinic_file, SPANISH)
    assert problem is None and pathway.language == "en"
    titles = [s.title for s in pathway.steps]
    assert "Our blood thinner talk" in titles
    assert "Two weeks to go: what the test block is for" in titles
    # When the clinic's file cannot be used, the built-in one is in the patient's language.
    clinic_file.write_text("format = 1\n", encoding="utf-8")
    pathway, problem = choose_pathway("lumbar", clinic_file, SPANISH)
    assert problem and pathway.language == SPANISH
