"""Each day's average as a line and its lowest-to-highest range as a bar, drawn on the canvas."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from kivy.clock import Clock
from kivy.core.text import Label as CoreLabel
from kivy.graphics import Color, Ellipse, Line, Mesh, Rectangle
from kivy.metrics import dp
from kivy.properties import ListProperty, ObjectProperty, StringProperty
from kivy.uix.widget import Widget

from app.domain.dates import chart_day
from app.i18n import N_, _
from app.ui.widgets.rounded_fill import RoundedFill

MAX_SCORE = 10
MAX_DATE_LABELS = 6
SCORE_STEPS = (2, 5, 10)  # the score grid: every 2, or every 5, or 0 and 10 when the chart is low
LABEL_GAP = 1.4  # labels stand at least this many of their own heights (or widths) apart
WIDEST_DATE = "30 Sep"  # about the widest date label ("4 Dec" is narrower)
# The day bars are drawn as a few meshes, not one Rectangle per day: each canvas instruction keeps
# its own vertex buffer, about 35 kB in software GL, so three years of days took 40 MB. A mesh's
# indices are 16-bit: at most this many bars (4 corners each) per mesh.
BARS_PER_MESH = 16_000


class TrendChart(Widget):
    days = ListProperty([])  # DaySummary, oldest first
    first_day = ObjectProperty(None, allownone=True)
    last_day = ObjectProperty(None, allownone=True)
    markers = ListProperty([])  # (date, label): procedure days, drawn as upright lines
    empty_text = StringProperty(N_("No entries in this period yet."))
    theme = ObjectProperty(None)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._redraw = Clock.create_trigger(self.draw)
        self.bind(
            pos=self._redraw,
            size=self._redraw,
            days=self._redraw,
            markers=self._redraw,
            first_day=self._redraw,
            last_day=self._redraw,
            theme=self._redraw,
        )

    def on_theme(self, _chart, theme) -> None:
        follow_theme(theme, self._redraw)

    def draw(self, *_args):
        theme = self.theme
        if theme is None:
            return
        self.canvas.clear()
        # Margins from the labels' own sizes, so that at the largest text the last date is
        # centred under its day and nothing is cut at the edges.
        date_width, date_height = text_size(WIDEST_DATE, theme.font_small)
        left_margin = max(dp(64), text_size("10", theme.font_small)[0] + dp(28))
        right_margin = max(dp(24), date_width / 2 + dp(8))
        bottom_margin = max(dp(48), date_height + dp(16))
        left, bottom = self.x + left_margin, self.y + bottom_margin
        width = self.width - left_margin - right_margin
        height = self.height - bottom_margin - dp(40)
        if width <= 0 or height <= 0:
            return
        with self.canvas:
            Color(*theme.surface)
            RoundedFill(pos=self.pos, size=self.size, radius=[theme.radius])
            for score in range(0, MAX_SCORE + 1, self._score_step(height)):
                y = bottom + height * score / MAX_SCORE
                Color(*theme.line)
                Line(points=[left, y, left + width, y], width=dp(1))
                self._text(
                    str(score), theme.font_small, theme.muted, right=left - dp(12), center_y=y
                )
            if not self.days or self.first_day is None or self.last_day is None:
                self._text(
                    _(self.empty_text),
                    theme.font_body,
                    theme.muted,
                    wrap_width=width,
                    center_x=left + width / 2,
                    center_y=bottom + height / 2,
                )
                return
            span = max(1, (self.last_day - self.first_day).days)
            x_of = lambda day: left + width * (day - self.first_day).days / span  # noqa: E731
            y_of = lambda score: bottom + height * score / MAX_SCORE  # noqa: E731
            self._draw_markers(x_of, bottom, height)
            bar = max(dp(3), min(dp(16), width / (span + 1) * 0.6))
            Color(*theme.primary[:3], 0.28)
            for start in range(0, len(self.days), BARS_PER_MESH):
                bars = [
                    (
                        x_of(day.day) - bar / 2,
                        y_of(day.low),
                        bar,
                        max(dp(3), y_of(day.high) - y_of(day.low)),
                    )
                    for day in self.days[start : start + BARS_PER_MESH]
                ]
                Mesh(**rectangles_mesh(bars))
            Color(*theme.primary)
            points = [value for day in self.days for value in (x_of(day.day), y_of(day.average))]
            if len(points) >= 4:
                Line(points=points, width=dp(2.5))
            if len(self.days) <= 120:
                dot = dp(12)
                for day in self.days:
                    Ellipse(
                        pos=(x_of(day.day) - dot / 2, y_of(day.average) - dot / 2), size=(dot, dot)
                    )
            self._draw_date_labels(x_of, span, bottom)

    def _score_step(self, height) -> int:
        """The finest score grid whose labels do not touch at this height."""
        label_height = text_size("10", self.theme.font_small)[1]
        return next(
            (step for step in SCORE_STEPS if height * step / MAX_SCORE >= label_height * LABEL_GAP),
            MAX_SCORE,
        )

    def _draw_markers(self, x_of, bottom, height):
        theme = self.theme
        for day, label in self.markers:
            if not self.first_day <= day <= self.last_day:
                continue
            x = x_of(day)
            Color(*theme.focus)
            Line(points=[x, bottom, x, bottom + height], width=dp(2), dash_length=8, dash_offset=6)
            self._text(
                label, theme.font_small, theme.text, center_x=x, bottom=bottom + height + dp(6)
            )

    def _draw_date_labels(self, x_of, span, bottom):
        theme = self.theme
        widest = text_size(WIDEST_DATE, theme.font_small)[0]
        width = x_of(self.last_day) - x_of(self.first_day)
        fits = int(width / (widest * LABEL_GAP)) + 1
        count = max(2, min(MAX_DATE_LABELS, span + 1, fits))
        for index in range(count):
            offset = round(span * index / max(1, count - 1))
            day = date.fromordinal(self.first_day.toordinal() + offset)
            self._text(
                chart_day(day),
                theme.font_small,
                theme.muted,
                center_x=x_of(day),
                top=bottom - dp(8),
            )

    def _text(self, text, font_size, color, wrap_width=None, **place):
        draw_text(self, text, font_size, color, wrap_width, **place)


def follow_theme(theme, redraw) -> None:
    """Redraw a chart the moment high contrast or the text size changes: its colours and sizes
    are read from the theme when it draws, and a chart is not rebuilt by a kv rule."""
    if theme is not None:
        theme.fbind("high_contrast", redraw)
        theme.fbind("text_scale", redraw)


def rectangles_mesh(rectangles) -> dict:
    """Mesh arguments drawing each (x, y, width, height) as a Rectangle would (two triangles,
    the default white texture)."""
    vertices: list[float] = []
    indices: list[int] = []
    for number, (x, y, width, height) in enumerate(rectangles):
        vertices += [
            x,
            y,
            0,
            0,
            x + width,
            y,
            1,
            0,
            x + width,
            y + height,
            1,
            1,
            x,
            y + height,
            0,
            1,
        ]
        first = 4 * number
        indices += [first, first + 1, first + 2, first, first + 2, first + 3]
    return {"vertices": vertices, "indices": indices, "mode": "triangles"}


@lru_cache(maxsize=64)
def text_size(text, font_size) -> tuple[int, int]:
    """The size `text` takes when drawn at `font_size` (kept: each draw asks for the same few
    sizes, and measuring renders the text)."""
    label = CoreLabel(text=text, font_size=font_size)
    label.refresh()
    return label.texture.size


def draw_text(widget, text, font_size, color, wrap_width=None, **place):
    """Draw `text` on `widget`'s canvas (inside a `with canvas` block), kept inside the widget.

    `wrap_width`: lines no wider than this, centred (a sentence at large text in a narrow chart).
    `place`: center_x, left or right, and center_y, top or bottom."""
    label = CoreLabel(
        text=text, font_size=font_size, color=color, halign="center", text_size=(wrap_width, None)
    )
    label.refresh()
    texture = label.texture
    w, h = texture.size
    if "center_x" in place:
        x = place["center_x"] - w / 2
    elif "left" in place:
        x = place["left"]
    else:
        x = place.get("right", 0) - w
    x = min(max(x, widget.x + dp(4)), widget.right - w - dp(4))
    if "center_y" in place:
        y = place["center_y"] - h / 2
    elif "top" in place:
        y = place["top"] - h
    else:
        y = place["bottom"]
    Color(1, 1, 1, 1)
    Rectangle(texture=texture, pos=(x, y), size=(w, h))
