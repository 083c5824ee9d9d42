"""Learn and the plan's steps in Spanish, in a real window: the list, an article and a step come
from the Spanish files when the patient's language is Spanish, at the largest text, in portrait;
the clinic's own words stay as the clinic typed them."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import i18n
from app.domain.clinic import ClinicSettings
from app.domain.plan import validate_procedure
from app.store.database import open_database
from app.store.plan_repository import PlanRepository
from app.store.settings_repository import SettingsRepository
from app.ui.theme import LARGEST_TEXT_SCALE

SHOTS = Path("/tmp/shots-content")


@pytest.fixture
def spanish():
    """Spanish from the moment it is called (after the start, which applies the stored language),
    English again after the test."""
    yield lambda: i18n.set_language("es")
    i18n.set_language("en")


@pytest.mark.parametrize("size", [(800, 1280), (1280, 800)], ids=["portrait", "landscape"])
def test_an_article_opens_in_spanish_at_the_largest_text(start_app, spanish, size):
    ui = start_app(size=size)
    spanish()
    ui.app.theme.text_scale = LARGEST_TEXT_SCALE
    ui.app.navigator.go("learn")
    ui.settle()
    titles = [w.title for w in ui.screen.ids.articles.children[::-1]]
    assert titles[0] == "Cómo funciona el tratamiento" and "Cuándo llamar" in titles

    ui.tap(ui.find(lambda w: getattr(w, "article_id", "") == "how-it-works"))
    ui.settle()
    assert ui.screen.name == "article"
    texts = ui.visible_texts()
    assert "Cómo funciona el tratamiento" in texts
    assert "Paso 1: el bloqueo de prueba" in texts
    assert any(t.startswith("Su columna es una pila de huesos.") for t in texts)
    assert not any(t.startswith("Your spine") for t in texts)
    ui.screenshot(SHOTS / f"article-es-200-{size[0]}x{size[1]}.png")

    # Further down, the last heading and its bullets, as a patient scrolls to them.
    ui.screen.ids.scroll.scroll_y = 0
    ui.settle()
    assert "Lo que la ARF hace y lo que no hace" in ui.visible_texts()
    ui.screenshot(SHOTS / f"article-es-200-{size[0]}x{size[1]}-end.png")


def test_a_pathway_step_shows_in_spanish_with_the_clinics_own_words_as_typed(
    start_app, spanish, clock, data_dir
):
    db = open_database(data_dir)
    SettingsRepository(db).save_clinic(
        ClinicSettings(
            name="Riverside",
            phone="555 0100",
            emergency_number="112",
            implanted_device_text="Bring your device card.",
        )
    )
    rfa = PlanRepository(db).add_procedure(
        validate_procedure(
            {"kind": "rfa", "region": "lumbar", "side": "both", "at": "2027-01-14T09:00"},
            now=clock.now(),
            zone=clock.zone(),
        )
    )
    ui = start_app(size=(800, 1280))
    spanish()
    ui.app.theme.text_scale = LARGEST_TEXT_SCALE
    ui.app.navigator.go("step", procedure_id=rfa.id, step_id="rfa-home")
    ui.settle()
    text = ui.screen.text
    assert text.startswith("Descanse el resto del día. No conduzca, aunque se sienta bien.")
    assert "112) si tiene: debilidad o adormecimiento nuevos en las piernas" in text or (
        "Llame a 112 si tiene: debilidad o adormecimiento nuevos en las piernas" in text
    )
    assert "{" not in text and text in ui.visible_texts()
    ui.screenshot(SHOTS / "step-rfa-home-es-200-800x1280.png")

    ui.app.navigator.go("step", procedure_id=rfa.id, step_id="rfa-tell-clinic")
    ui.settle()
    texts = ui.visible_texts()
    assert "Bring your device card." in texts  # the clinic's words stay as the clinic typed them
    assert ui.screen.text.startswith("La ARF usa una corriente eléctrica pequeña")
    ui.screenshot(SHOTS / "step-rfa-tell-clinic-es-200-800x1280.png")
