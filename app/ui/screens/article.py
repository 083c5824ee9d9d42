"""One Learn article, large and calm, with the clinic's numbers filled in."""

from __future__ import annotations

from kivy.logger import Logger
from kivy.properties import StringProperty

from app.domain.learn import Block, fill_placeholders
from app.domain.pathway import LEARN_ARTICLES
from app.i18n import _
from app.services.resources import load_article
from app.ui.kv import load_kv_beside
from app.ui.screens.base import AppScreen
from app.ui.widgets.article_view import ArticleView  # noqa: F401  (used in article.kv)
from app.ui.widgets.read_aloud import ReadAloud  # noqa: F401  (used in article.kv)


def filled_blocks(blocks, clinic) -> list[Block]:
    """The blocks with `{emergency_number}` and `{clinic_phone}` from the clinic's settings."""
    return [
        Block(
            block.kind,
            fill_placeholders(
                block.text, emergency_number=clinic.emergency_number, clinic_phone=clinic.phone
            ),
        )
        for block in blocks
    ]


class ArticleScreen(AppScreen):
    initial_focus = StringProperty("view")

    def open(self, article_id: str | None = None, **_context) -> None:
        if article_id is None:
            if self.ids.view.blocks:  # coming Back to the article that was already open
                return
            # A page built afresh (after a language change or a kiosk session) and opened
            # without an article: the first one of Learn rather than an empty page.
            article_id = LEARN_ARTICLES[0]
        try:
            article = load_article(article_id)
        except (OSError, ValueError) as problem:  # ArticleFormatError is a ValueError
            Logger.warning("Learn: %s could not be read: %s", article_id, problem)
            self.ids.view.title = ""
            self.ids.view.blocks = [
                Block("heading", _("This article could not be opened")),
                Block(
                    "paragraph",
                    _(
                        "Please go back and choose another one. "
                        "If this keeps happening, show this page to your clinic."
                    ),
                ),
                Block("paragraph", str(problem)),
            ]
        else:
            self.ids.view.title = article.title
            self.ids.view.blocks = filled_blocks(article.blocks, self.services.settings.clinic())
        self.ids.scroll.scroll_y = 1


load_kv_beside(__file__)
