"""Learn in Spanish, in a real window: the list and an article come from the Spanish files when
the patient's language is Spanish, at the largest text, in portrait."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import i18n
from app.ui.theme import LARGEST_TEXT_SCALE

SHOTS = Path("/tmp/shots-content")


@pytest.fixture
def spanish():
    i18n.set_language("es")
    yield
    i18n.set_language("en")


@pytest.mark.parametrize("size", [(800, 1280), (1280, 800)], ids=["portrait", "landscape"])
def test_an_article_opens_in_spanish_at_the_largest_text(start_app, spanish, size):
    ui = start_app(size=size)
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
