"""When to call: the emergency signs first, in a red card; then when to call the clinic; then what
is normal.

Readable at arm's length: the text is a size larger than an article's, and the clinic's name and
number stand at the top of their card in the largest size the theme has.
"""

from __future__ import annotations

from kivy.logger import Logger
from kivy.properties import BooleanProperty, ColorProperty, ListProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from app.domain.learn import Block
from app.i18n import N_, _
from app.services.resources import load_article
from app.ui.kv import load_kv_beside
from app.ui.screens.article import filled_blocks
from app.ui.screens.base import AppScreen
from app.ui.widgets.article_view import ArticleView  # noqa: F401  (used in when_to_call.kv)
from app.ui.widgets.controls import Card
from app.ui.widgets.read_aloud import ReadAloud  # noqa: F401  (used in when_to_call.kv)

ARTICLE_ID = "when-to-call"
# Shown only if the article's file cannot be read (or lost a section), so the numbers still show.
FALLBACK = (
    Block("heading", N_("Call your emergency number now")),
    Block("paragraph", N_("If you feel very unwell, call {emergency_number}.")),
    Block("heading", N_("Call your clinic today")),
    Block("paragraph", N_("If you are worried about how you feel, call {clinic_phone}.")),
)


def sections(blocks) -> list[tuple[str, list[Block]]]:
    """The article split at its headings: (heading, the blocks under it). Text before the first
    heading, if any, goes under an empty heading."""
    found: list[tuple[str, list[Block]]] = []
    for block in blocks:
        if block.kind == "heading":
            found.append((block.text, []))
        else:
            if not found:
                found.append(("", []))
            found[-1][1].append(block)
    return found


class CallCard(Card):
    """A card edged in `band`, the colour of the band across its top (see `CardBand`)."""

    band = ColorProperty()


class CardBand(BoxLayout):
    band = ColorProperty()


class OtherSection(Card):
    """A calm card for a section after the two calls (such as "What is normal")."""

    heading = StringProperty("")
    blocks = ListProperty([])


class WhenToCallScreen(AppScreen):
    initial_focus = StringProperty("emergency_view")
    emergency_heading = StringProperty("")
    clinic_heading = StringProperty("")
    emergency_number = StringProperty("")
    clinic_name = StringProperty("")
    clinic_phone = StringProperty("")
    has_clinic_numbers = BooleanProperty(False)

    def __init__(self, **kwargs):
        self._others_shown: list | None = None
        super().__init__(**kwargs)

    def open(self, **_context) -> None:
        clinic = self.services.settings.clinic()
        self.emergency_number = " ".join(clinic.emergency_number.split())
        self.clinic_name = clinic.name
        self.clinic_phone = " ".join(clinic.phone.split())
        self.has_clinic_numbers = bool(self.clinic_phone and self.emergency_number)
        try:
            blocks = load_article(ARTICLE_ID).blocks
        except (OSError, ValueError) as problem:  # a broken file must not hide the numbers
            Logger.error("Learn: %s could not be read: %s", ARTICLE_ID, problem)
            blocks = ()
        found = sections(filled_blocks(blocks, clinic))
        if len(found) < 2:  # the emergency and the clinic sections are needed, in that order
            fallback = tuple(Block(block.kind, _(block.text)) for block in FALLBACK)
            found = sections(filled_blocks(fallback, clinic))
        (self.emergency_heading, emergency), (self.clinic_heading, call_clinic) = found[:2]
        self.ids.emergency_view.blocks = emergency
        self.ids.clinic_view.blocks = call_clinic
        if found[2:] != self._others_shown:  # built again only when the words changed
            self._others_shown = found[2:]
            others = self.ids.others
            others.clear_widgets()
            for heading, blocks in found[2:]:
                others.add_widget(OtherSection(heading=heading, blocks=blocks))
        self.ids.scroll.scroll_y = 1

    def words_to_read(self) -> list[str]:
        """Read aloud: the page as shown, the emergency card first."""
        words = [self.emergency_heading, self.emergency_number]
        words += [block.text for block in self.ids.emergency_view.blocks]
        words += [self.clinic_heading, self.clinic_name, self.clinic_phone]
        words += [block.text for block in self.ids.clinic_view.blocks]
        for heading, blocks in self._others_shown or []:
            words += [heading] + [block.text for block in blocks]
        return words


load_kv_beside(__file__)
