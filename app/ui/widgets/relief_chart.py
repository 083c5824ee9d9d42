"""Relief (%) over the hours after a block, one line per area and side, with the clinic's
threshold as a dashed line. A missed prompt is a gap in its line, never filled in."""

from __future__ import annotations

import math

from kivy.clock import Clock
from kivy.graphics import Color, Ellipse, Line
from kivy.metrics import dp
from kivy.properties import ListProperty, NumericProperty, ObjectProperty
from kivy.uix.widget import Widget
from kivy.utils import get_color_from_hex as hex_color

from app.i18n import _
from app.ui.widgets.rounded_fill import RoundedFill
from app.ui.widgets.trend_chart import draw_text, follow_theme

# The first line takes the theme's primary colour; the others these, each readable on white.
OTHER_LINES = ("#8A3FA0", "#B34A12", "#2E6B34", "#6B5A00")
LOWEST_SHOWN = -100  # "twice the usual pain" and worse sit on the bottom edge


class ReliefChart(Widget):
    # (label, ((minutes, relief % or None), ...)), one per area and side
    series = ListProperty([])
    threshold = NumericProperty(80)
    last_minutes = NumericProperty(480)
    theme = ObjectProperty(None)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._redraw = Clock.create_trigger(self.draw)
        self.bind(
            pos=self._redraw,
            size=self._redraw,
            series=self._redraw,
            threshold=self._redraw,
            last_minutes=self._redraw,
            theme=self._redraw,
        )

    def on_theme(self, _chart, theme) -> None:
        follow_theme(theme, self._redraw)

    def line_colour(self, index: int):
        return self.theme.primary if index == 0 else hex_color(OTHER_LINES[(index - 1) % 4])

    def draw(self, *_args):
        theme = self.theme
        if theme is None:
            return
        self.canvas.clear()
        legend_h = (theme.font_small * 1.5) * max(1, len(self.series)) + dp(12)
        left, bottom = self.x + dp(72), self.y + dp(48)
        width = self.width - dp(72) - dp(24)
        height = self.height - dp(48) - legend_h - dp(16)
        if width <= 0 or height <= 0:
            return
        reliefs = [r for _label, points in self.series for _m, r in points if r is not None]
        low = max(LOWEST_SHOWN, min([0] + [math.floor(r / 25) * 25 for r in reliefs]))
        hours = max(1, math.ceil(self.last_minutes / 60))
        x_of = lambda minutes: left + width * minutes / (hours * 60)  # noqa: E731
        y_of = lambda relief: bottom + height * (max(low, relief) - low) / (100 - low)  # noqa: E731
        with self.canvas:
            Color(*theme.surface)
            RoundedFill(pos=self.pos, size=self.size, radius=[theme.radius])
            for percent in range(int(low), 101, 25):
                y = y_of(percent)
                Color(*(theme.muted if percent == 0 else theme.line))
                Line(points=[left, y, left + width, y], width=dp(1.5 if percent == 0 else 1))
                draw_text(
                    self,
                    f"{percent}%",
                    theme.font_small,
                    theme.muted,
                    right=left - dp(10),
                    center_y=y,
                )
            step = 1 if hours <= 8 else 2
            for hour in range(0, hours + 1, step):
                draw_text(
                    self,
                    _("{hours} h").format(hours=hour),
                    theme.font_small,
                    theme.muted,
                    center_x=x_of(hour * 60),
                    top=bottom - dp(8),
                )
            y = y_of(self.threshold)
            Color(*theme.focus)
            dash = dp(14)
            for start in range(0, int(width), int(dash * 1.6)):  # wide dashes: drawn one by one
                Line(points=[left + start, y, left + min(width, start + dash), y], width=dp(2))
            draw_text(
                self,
                _("Clinic's level: {level}%").format(level=int(self.threshold)),
                theme.font_small,
                theme.text,
                right=left + width,
                bottom=y + dp(4),
            )
            for index, (label, points) in enumerate(self.series):
                self._draw_line(index, points, x_of, y_of)
                self._draw_legend(index, label, legend_h)

    def _draw_line(self, index, points, x_of, y_of):
        colour = self.line_colour(index)
        Color(*colour)
        run: list[float] = []
        for minutes, relief in list(points) + [(None, None)]:
            if relief is None:  # a gap: end the line drawn so far
                if len(run) >= 4:
                    Line(points=run, width=dp(2.5))
                run = []
                continue
            run += [x_of(minutes), y_of(relief)]
        dot = dp(12)
        for minutes, relief in points:
            if relief is not None:
                Ellipse(pos=(x_of(minutes) - dot / 2, y_of(relief) - dot / 2), size=(dot, dot))

    def _draw_legend(self, index, label, legend_h):
        theme = self.theme
        row_h = theme.font_small * 1.5
        y = self.top - dp(12) - row_h * (index + 1)
        Color(*self.line_colour(index))
        Line(points=[self.x + dp(24), y + row_h / 2, self.x + dp(56), y + row_h / 2], width=dp(3))
        draw_text(
            self, label, theme.font_small, theme.text, left=self.x + dp(66), center_y=y + row_h / 2
        )
