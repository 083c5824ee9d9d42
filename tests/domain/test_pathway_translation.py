"""A translation file puts its words into a parsed pathway, by id, and nothing else: a file that
does not fit the pathway is refused naming the key, as a pathway file is."""

from __future__ import annotations

import pytest

from app.domain.pathway import PathwayError, parse_pathway_text, translate_pathway

ENGLISH = """
format = 1
id = "tiny"
region = "lumbar"
title = "Tiny pathway"
description = "For the tests."

[[checklist]]
id = "ride"
procedures = ["test-block"]
kind = "tick"
group = "ride"
audience = "patient"
required = true
text = "A ride home"

[[steps]]
id = "before"
procedures = ["test-block"]
phase = "before"
offset = { days = -7, at = "09:00" }
title = "One week to go"
checklist = ["ride"]
text = "Call {clinic_phone} with questions."

[[steps]]
id = "after"
procedures = ["test-block"]
phase = "after"
offset = { hours = 2 }
title = "Home"
text = "Rest for 20 minutes at a time."

[[reminders]]
id = "week"
procedures = ["test-block"]
offset = { days = -7, at = "09:00" }
audience = "patient"
text = "Your block is in a week."
"""

SPANISH = """
format = 1
pathway = "tiny"
title = "Ruta pequeña"

[checklist.ride]
text = "Quien le lleve a casa"

[steps.before]
title = "Falta una semana"
text = "Llame a {clinic_phone} si tiene preguntas."

[reminders.week]
text = "Su bloqueo es dentro de una semana."
"""


def english():
    return parse_pathway_text(ENGLISH, "tiny.toml")


def test_the_words_come_from_the_translation_and_everything_else_from_the_pathway():
    pathway = english()
    spanish = translate_pathway(pathway, SPANISH, "es/tiny.toml", "es")
    assert spanish.language == "es" and pathway.language == "en"
    assert spanish.title == "Ruta pequeña"
    assert [s.title for s in spanish.steps] == ["Falta una semana", "Home"]
    assert spanish.steps[0].text == "Llame a {clinic_phone} si tiene preguntas."
    assert spanish.checklist[0].text == "Quien le lleve a casa"
    assert spanish.reminders[0].text == "Su bloqueo es dentro de una semana."
    # What the translation leaves out stays in English.
    assert spanish.description == "For the tests."
    assert spanish.steps[1].text == "Rest for 20 minutes at a time."
    # Dates, procedures and checklists are the pathway's own.
    assert [s.offset for s in spanish.steps] == [s.offset for s in pathway.steps]
    assert spanish.steps[0].checklist == ("ride",)
    assert spanish.reminders[0].offset == pathway.reminders[0].offset


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (("[steps.before]", "[steps.befor]"), "steps.befor", "did you mean “before”"),
        (('pathway = "tiny"', 'pathway = "other"'), "pathway", "another pathway"),
        (("format = 1", "format = 2"), "format", "format 1, not 2"),
        (('title = "Falta una semana"', 'title = ""'), "steps.before.title", "is empty"),
        (("{clinic_phone} si", "{telefono} si"), "steps.before.text", "braces may only hold"),
        (
            ("[reminders.week]\ntext", "[reminders.week]\ntexto"),
            "reminders.week.texto",
            "not a key this format knows",
        ),
        (("[checklist.ride]", "[checklist.bring]"), "checklist.bring", "not a key"),
    ],
)
def test_a_translation_that_does_not_fit_is_refused_naming_the_key(change, key, words):
    text = SPANISH.replace(*change)
    assert text != SPANISH
    with pytest.raises(PathwayError) as error:
        translate_pathway(english(), text, "es/tiny.toml", "es")
    assert error.value.source == "es/tiny.toml"
    assert error.value.key == key
    assert words in error.value.message


def test_a_translation_that_is_not_toml_is_refused():
    with pytest.raises(PathwayError, match="es/tiny.toml: \\(file\\): is not valid TOML"):
        translate_pathway(english(), 'title = "open', "es/tiny.toml", "es")
