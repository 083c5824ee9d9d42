"""Learn: every article as a large button with its title and a one-sentence summary."""

from __future__ import annotations

import re

from kivy.logger import Logger
from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.utils import escape_markup, get_hex_from_color

from app.domain.learn import (
    ARTICLE_IDS,
    Article,
    ArticleFormatError,
    fill_placeholders,
    plain_text,
)
from app.i18n import _
from app.services.resources import load_article
from app.ui.kv import load_kv_beside
from app.ui.screens.base import AppScreen
from app.ui.widgets.controls import AppButton

WHEN_TO_CALL_ID = "when-to-call"


def summary(article: Article) -> str:
    """The first sentence of the opening paragraph, or the headings when the article opens with one.

    The list shows no numbers: placeholders read as the plain fallback words.
    """
    first = article.blocks[0]
    if first.kind == "heading":
        return " · ".join(article.headings)
    sentence = re.split(r"(?<=[.!?])\s+", plain_text(first.text), maxsplit=1)[0]
    return fill_placeholders(sentence, emergency_number="", clinic_phone="")


class ArticleButton(AppButton):
    article_id = StringProperty("")
    title = StringProperty("")
    summary = StringProperty("")

    @staticmethod
    def label(title: str, summary: str, title_size: float, detail_color) -> str:
        """The title large and bold, the summary below it in a quieter colour."""
        return (
            f"[size={int(title_size)}][b]{escape_markup(title)}[/b][/size]\n"
            f"[color={get_hex_from_color(detail_color)}]{escape_markup(summary)}[/color]"
        )


class ArticleList(BoxLayout):
    """The column of article buttons; the keyboard starts on the first one."""

    def focus_first(self) -> None:
        buttons = [child for child in reversed(self.children) if not child.disabled]
        if buttons:
            buttons[0].focus = True


class LearnScreen(AppScreen):
    initial_focus = StringProperty("articles")

    def open(self, **_context) -> None:
        self._show_list()
        self.ids.scroll.scroll_y = 1

    def read(self, article_id: str) -> None:
        if article_id == WHEN_TO_CALL_ID:
            # Its own screen fills in the clinic's numbers and sets the emergency signs apart.
            self.navigator.go("when_to_call")
        else:
            self.navigator.go("article", article_id=article_id)

    def _show_list(self) -> None:
        """Read on each visit, so an edited or newly fixed file shows without a restart; the
        buttons are made once and only their words change."""
        column = self.ids.articles
        if len(column.children) != len(ARTICLE_IDS):
            column.clear_widgets()
            for _article_id in ARTICLE_IDS:
                column.add_widget(ArticleButton())
        for button, article_id in zip(reversed(column.children), ARTICLE_IDS, strict=True):
            try:
                article = load_article(article_id)
            except (OSError, ArticleFormatError) as problem:
                Logger.warning("Learn: %s could not be read: %s", article_id, problem)
                button.article_id, button.title, button.disabled = article_id, article_id, True
                button.summary = _("This article could not be opened. {problem}").format(
                    problem=problem
                )
                continue
            button.article_id, button.title, button.disabled = article_id, article.title, False
            button.summary = summary(article)


load_kv_beside(__file__)
