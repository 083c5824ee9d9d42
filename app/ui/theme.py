"""Colours and sizes as observable tokens, so large text and high contrast are one switch."""

from kivy.event import EventDispatcher
from kivy.metrics import dp, sp
from kivy.properties import BooleanProperty, ColorProperty, NumericProperty
from kivy.utils import get_color_from_hex as hex_color

PALETTES = {
    "calm": {
        "background": "#F4F1EA",
        "surface": "#FFFFFF",
        "surface_alt": "#E9EEF0",
        "primary": "#1D5C63",
        "primary_dark": "#123E43",
        "primary_text": "#FFFFFF",
        "text": "#1E2A32",
        "muted": "#4F5D66",
        "line": "#C9D2D6",
        "error": "#A4262C",
        "success": "#2E6B34",
        "focus": "#E0A100",
        # The focus ring's two bands, and the outline of white buttons and fields: each 3:1 or
        # more where it is drawn (tests/test_contrast.py).
        "focus_ring": "#5C3A00",
        "focus_ring_inner": "#FFFFFF",
        "outline": "#66737A",
    },
    "high_contrast": {
        "background": "#FFFFFF",
        "surface": "#FFFFFF",
        "surface_alt": "#F0F0F0",
        "primary": "#002E5D",
        "primary_dark": "#001A36",
        "primary_text": "#FFFFFF",
        "text": "#000000",
        "muted": "#222222",
        "line": "#000000",
        "error": "#8B0000",
        "success": "#004D00",
        "focus": "#D05A00",
        # Orange, not black: every outline here is black, and the ring must differ from it.
        "focus_ring": "#E86A00",
        "focus_ring_inner": "#000000",
        "outline": "#000000",
    },
}

# The text sizes Settings offers, and where the patient's display choices are saved.
TEXT_SCALES = (1.0, 1.25, 1.5, 2.0)  # 2.0: twice the standard size (WCAG 1.4.4)
LARGEST_TEXT_SCALE = TEXT_SCALES[-1]
DISPLAY_KEY = "display"

# A mouse-wheel notch scrolls this many lines of body text (Kivy's own step is 20 px, so a long
# page took dozens of notches). Every ScrollView takes it from `Theme.wheel_step` (controls.kv).
WHEEL_LINES = 3
LINE_HEIGHT = 1.25  # a line of text is this many times its font size

# Pain scale colours from calm to alarming; each keeps dark text readable on it.
SCALE_COLORS = [
    "#CFE8D5",
    "#D5EACB",
    "#DFEBC0",
    "#E9EAB5",
    "#F1E4A8",
    "#F5D99C",
    "#F6CB92",
    "#F4BA8A",
    "#F0A884",
    "#EA9580",
    "#E3837D",
]


class Theme(EventDispatcher):
    high_contrast = BooleanProperty(False)
    # Focus rings show once the keyboard is used and hide again at the next touch,
    # so touch users never see a stray ring on the last button they pressed.
    keyboard_mode = BooleanProperty(False)
    text_scale = NumericProperty(1.0)
    # "Less motion" in Settings: pages appear at once instead of sliding in.
    less_motion = BooleanProperty(False)

    background = ColorProperty()
    surface = ColorProperty()
    surface_alt = ColorProperty()
    primary = ColorProperty()
    primary_dark = ColorProperty()
    primary_text = ColorProperty()
    text = ColorProperty()
    muted = ColorProperty()
    line = ColorProperty()
    error = ColorProperty()
    success = ColorProperty()
    focus = ColorProperty()
    focus_ring = ColorProperty()
    focus_ring_inner = ColorProperty()
    outline = ColorProperty()

    font_small = NumericProperty()
    font_body = NumericProperty()
    font_large = NumericProperty()
    font_title = NumericProperty()
    font_huge = NumericProperty()
    wheel_step = NumericProperty()  # pixels one mouse-wheel notch scrolls

    touch = NumericProperty(dp(56))
    padding = NumericProperty(dp(24))
    spacing = NumericProperty(dp(16))
    radius = NumericProperty(dp(14))

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.bind(high_contrast=self._apply, text_scale=self._apply)
        self._apply()

    def _apply(self, *_):
        palette = PALETTES["high_contrast" if self.high_contrast else "calm"]
        for name, value in palette.items():
            setattr(self, name, hex_color(value))
        scale = self.text_scale
        self.font_small = sp(17) * scale
        self.font_body = sp(21) * scale
        self.font_large = sp(26) * scale
        self.font_title = sp(34) * scale
        self.font_huge = sp(40) * scale
        self.wheel_step = WHEEL_LINES * LINE_HEIGHT * self.font_body

    @staticmethod
    def scale_color(score: int):
        return hex_color(SCALE_COLORS[score])


def display_choices(stored) -> dict:
    """Saved display choices, read leniently: anything unknown keeps the default."""
    stored = stored if isinstance(stored, dict) else {}
    scale = stored.get("text_scale")
    contrast = stored.get("high_contrast")
    less_motion = stored.get("less_motion")
    return {
        "text_scale": scale if scale in TEXT_SCALES and not isinstance(scale, bool) else 1.0,
        "high_contrast": contrast if isinstance(contrast, bool) else False,
        "less_motion": less_motion if isinstance(less_motion, bool) else False,
    }


def apply_display_settings(theme: Theme, settings_repo) -> None:
    """Set the theme from the display choices saved in Settings; the app calls this at start-up."""
    chosen = display_choices(settings_repo.get(DISPLAY_KEY))
    theme.text_scale = chosen["text_scale"]
    theme.high_contrast = chosen["high_contrast"]
    theme.less_motion = chosen["less_motion"]
