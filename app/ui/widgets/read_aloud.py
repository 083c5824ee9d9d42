"""A "Read aloud" button: reads its page's words through the app's speaker, and becomes "Stop
reading" while it speaks.

Where the device has no voice, or the voice fails, the widget says so under the button in plain
words, and the button goes back to "Read aloud": a page is never left claiming it is being read.

`words` is the page's text in reading order: a list of strings, or a function returning one
(called at the tap, so a page filled in later is read as it is now). Markup and empty parts are
left out (app/services/speech.spoken_text).
"""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from app.i18n import _
from app.services.speech import DID_NOT_WORK, FAILED, NO_VOICE, Speaker, Utterance, spoken_text
from app.ui.kv import load_kv_beside
from app.ui.widgets.controls import AppButton  # noqa: F401  (used in read_aloud.kv)


class ReadAloud(BoxLayout):
    speaker: Speaker | None = ObjectProperty(None, allownone=True)
    words = ObjectProperty([])
    reading = BooleanProperty(False)
    message = StringProperty("")  # why nothing is read, when nothing is
    idle_text = StringProperty("")  # the button's words before reading; "" for "Read aloud"

    def __init__(self, **kwargs):
        self._utterance: Utterance | None = None
        super().__init__(**kwargs)

    def toggle(self) -> None:
        if self.reading:
            self.speaker.stop()  # its end (STOPPED) turns the button back
            return
        words = self.words() if callable(self.words) else self.words
        self.message = ""
        utterance = self.speaker.speak(spoken_text(words), on_end=self._ended)
        if utterance is None:
            self.message = _(NO_VOICE)
            return
        self._utterance = utterance
        self.reading = True

    def _ended(self, utterance: Utterance) -> None:
        # Called on the speaking thread: the widget changes on Kivy's.
        Clock.schedule_once(lambda _dt: self._show_end(utterance))

    def _show_end(self, utterance: Utterance) -> None:
        if utterance is not self._utterance:  # an earlier reading, already replaced
            return
        self._utterance = None
        self.reading = False
        if utterance.outcome == FAILED:
            self.message = _(DID_NOT_WORK)


load_kv_beside(__file__)
