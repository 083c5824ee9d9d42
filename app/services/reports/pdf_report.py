"""The one-minute PDF for the clinic (fpdf2): procedures, each block's diary per area and side as
a chart (relief % over the hours after the block, with the threshold line) and as a table (scores
entered from the paper diary or logged in the everyday diary marked, with a legend), the relief
summary, the everyday diary around the block as a small daily trend, the two blocks compared part
by part, and the outcomes after RFA with PEG. A section with nothing to show is left out rather
than printed empty.

A4 portrait; one page when the diary allows, more when there are many areas. The patient's name
and date of birth appear only when they entered them; the notes the patient wrote at their RFA
check-ins are listed under the outcomes.

Two languages: the fields a clinician reads (headings, column names, the block results' labels,
dates and numbers) are in the clinic's language (`clinic_language`); the sentences written for the
patient (the relief summary, the outcome words, the notes the domain adds) come through `_()` in
the patient's language. What the patient or the clinic typed prints as typed.

Fonts (bundled under assets/fonts with their licences): DejaVu Sans for the text (Latin, Greek,
Cyrillic, Arabic, Hebrew), with Droid Sans Fallback (Chinese, Japanese, Korean) and Symbola
(monochrome emoji) as fpdf2's fallback fonts, so a note in any of those scripts prints, not as
boxes. Without a shaping engine (uharfbuzz), Arabic letters print unjoined and right-to-left text
in typed order.
"""

from __future__ import annotations

import gettext
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal
from fpdf import FPDF

from app.domain.block_diary import (
    FITS,
    FROM_EVERYDAY,
    FROM_PAPER,
    LONGER,
    NOT_REACHED,
    SHORTER,
    UNKNOWN,
    AreaRelief,
    BlockComparison,
    met_both_parts,
)
from app.domain.block_diary_words import (
    area_notes,
    concordance_words,
    fit_explanation,
    percent_text,
)
from app.domain.dates import babel_locale, number, report_date, report_datetime
from app.domain.diary import AREAS
from app.domain.outcomes import OutcomeCheckIn, OutcomeTrend
from app.domain.pathway import PROCEDURE_LABELS, REGION_LABELS
from app.domain.plan import Procedure
from app.i18n import N_, _, language, translation
from app.package_files import fonts_folder

if TYPE_CHECKING:
    from app.services.reports import BlockReport, Progress, ReportData, RfaReport

FONT_DIR = fonts_folder()
FONT = "DejaVu"
# Tried in order for a character the text font lacks: CJK, then emoji and symbols.
FALLBACK_FONTS = (("DroidSansFallback", "DroidSansFallback.ttf"), ("Symbola", "Symbola.ttf"))
MARGIN = 12.0
PAGE_W = 210.0
CONTENT_W = PAGE_W - 2 * MARGIN
CHART_W, CHART_H = 88.0, 38.0
INK = (33, 37, 41)
MUTED = (108, 117, 125)
GRID = (222, 226, 230)
THRESHOLD = (214, 51, 132)
ABOVE_FILL = (209, 231, 221)
HEAD_FILL = (241, 243, 245)
SERIES = ((13, 110, 253), (253, 126, 20), (25, 135, 84), (111, 66, 193))
SIDE_WORDS = {"left": N_("Left"), "right": N_("Right"), "both": N_("Both sides")}
# One letter for the side in a narrow table column (English L/R, Spanish I/D).
SIDE_SHORT = {
    "left": N_("L (left side)"),
    "right": N_("R (right side)"),
    "both": N_("both (both sides)"),
}
REGION_SIDE = {
    "left": N_("{region}, left side"),
    "right": N_("{region}, right side"),
    "both": N_("{region}, both sides"),
}
# Marks after a score in the diary table, and what they mean.
SOURCE_MARKS = {FROM_PAPER: "†", FROM_EVERYDAY: "‡"}
SOURCE_LEGEND = {
    FROM_PAPER: N_("† entered from the clinic's paper diary"),
    FROM_EVERYDAY: N_("‡ from the everyday diary, logged during the diary's hours"),
}
TREND = (73, 80, 87)
FIT_WORDS = {
    FITS: N_("yes"),
    SHORTER: N_("no, shorter than expected"),
    LONGER: N_("no, longer than expected"),
    NOT_REACHED: N_("threshold not reached"),
}
# The domain's yes_no says these in the patient's language; the table says them in the clinic's.
YES_NO = {True: N_("yes"), False: N_("no"), None: N_("can't tell")}


class _Pdf(FPDF):
    def __init__(self, clinic_language: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.locale = clinic_language
        self.words: gettext.NullTranslations = translation(clinic_language)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=16)
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        for name, file in FALLBACK_FONTS:
            self.add_font(name, "", str(FONT_DIR / file))
        # exact_match=False: bold text falls back to the regular fallback font.
        self.set_fallback_fonts([name for name, _file in FALLBACK_FONTS], exact_match=False)
        self.set_text_color(*INK)

    # --- the clinic's language --------------------------------------------------------------

    # Named as gettext's own, so Babel's extraction (default keywords) finds their msgids.
    def gettext(self, message: str) -> str:
        """A clinician's field in the clinic's language."""
        return self.words.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.words.ngettext(singular, plural, count)

    def when(self, local: datetime) -> str:
        """ "13 Jan 2026, 13:00" / "13 ene 2026, 13:00"."""
        return report_datetime(local, self.locale)

    def day(self, day: date) -> str:
        """ "13 Jan 2026" / "13 ene 2026"."""
        return report_date(day, self.locale)

    def day_month(self, day: date) -> str:
        """ "6 Jan" / "6 ene": a day on the daily trend's axis, under its block's date."""
        return format_date(day, "d MMM", locale=babel_locale(self.locale))

    def decimal(self, value: float) -> str:
        """One decimal place, with the clinic language's decimal mark: "2.5" / "2,5"."""
        return number(value, 1, self.locale)

    def hours(self, value: float) -> str:
        """Hours as the clinic setting holds them: "1", "1.5" / "1,5"."""
        return format_decimal(value, "0.##", locale=babel_locale(self.locale))

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 6.5)
        self.set_text_color(*MUTED)
        self.cell(
            CONTENT_W - 16,
            4,
            self.gettext(
                "Facet Companion, from the patient's own diary. "
                "Relief (%) = (usual pain − score) / usual pain × 100, per area and side."
            ),
        )
        self.cell(
            16,
            4,
            self.gettext("Page {page}/{pages}").format(page=self.page_no(), pages="{nb}"),
            align="R",
        )
        self.set_text_color(*INK)

    def heading(self, text: str, size: float = 10.5) -> None:
        self.set_font(FONT, "B", size)
        self.cell(CONTENT_W, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(0.8)

    def small(
        self,
        text: str,
        size: float = 7.5,
        bold: bool = False,
        color=INK,
        width: float = CONTENT_W,
        height: float | None = None,
    ) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*color)
        self.multi_cell(width, height or size * 0.47, text, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)

    def need(self, height: float) -> None:
        """Start a new page when less than `height` mm is left."""
        if self.get_y() + height > self.h - 16:
            self.add_page()


def write_pdf(
    data: ReportData,
    path: str | Path,
    progress: Progress | None = None,
    *,
    clinic_language: str | None = None,
) -> None:
    """Write the PDF; the clinician's fields in `clinic_language` (a code of
    `app.i18n.LANGUAGES`; the patient's language when None)."""
    report = progress or (lambda fraction, message: None)
    pdf = _Pdf(clinic_language or language())
    pdf.set_title(pdf.gettext("Facet Companion: block diary and outcomes"))
    pdf.set_author("Facet Companion")
    pdf.set_creation_date(data.generated_at)
    pdf.alias_nb_pages()
    pdf.add_page()
    _header(pdf, data)
    _procedures(pdf, data)
    report(0.15, _("Procedures"))
    for index, block in enumerate(data.blocks):
        if block.has_diary or block.days:
            _block(pdf, block, data)
        report(0.15 + 0.65 * (index + 1) / max(len(data.blocks), 1), _("Block diaries"))
    for comparison in data.comparisons:
        _comparison(pdf, comparison, data)  # left out when the diaries share no area
    for rfa in data.rfas:
        if rfa.checkins:
            _outcomes(pdf, rfa)
    report(0.95, _("Outcomes"))
    pdf.output(str(path))
    report(1.0, _("PDF written"))


# --- sections -----------------------------------------------------------------------------------


def _header(pdf: _Pdf, data: ReportData) -> None:
    made = data.generated_at.astimezone(ZoneInfo(data.zone))
    made_text = pdf.gettext("Made {when} ({zone})").format(when=pdf.when(made), zone=data.zone)
    pdf.set_font(FONT, "", 7.5)
    made_w = pdf.get_string_width(made_text) + 2
    title = pdf.gettext("Test blocks and RFA: patient diary report")
    title_w = CONTENT_W - made_w
    size = 15.0
    pdf.set_font(FONT, "B", size)
    while size > 9 and pdf.get_string_width(title) > title_w - 2:
        size -= 0.5  # a longer title (Spanish) is set smaller, never over the date beside it
        pdf.set_font(FONT, "B", size)
    pdf.cell(title_w, 8, _fit(pdf, title, title_w - 2))
    pdf.set_font(FONT, "", 7.5)
    pdf.set_text_color(*MUTED)
    pdf.cell(made_w, 8, made_text, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    who = []
    if data.patient.name:
        who.append(pdf.gettext("Patient: {name}").format(name=data.patient.name))
    if data.patient.birth_date:
        who.append(
            pdf.gettext("Date of birth: {date}").format(date=pdf.day(data.patient.birth_date))
        )
    if data.clinic.name:
        who.append(pdf.gettext("Clinic: {name}").format(name=data.clinic.name))
    if who:
        pdf.small("   ·   ".join(who), size=9, bold=True)
    clinic = data.clinic
    pdf.small(
        pdf.gettext(
            "Relief threshold: {threshold}% (clinic setting).  Expected anaesthetic duration: "
            "lidocaine {lidocaine}, bupivacaine {bupivacaine}."
        ).format(
            threshold=clinic.relief_threshold_percent,
            lidocaine=_range(pdf, clinic.lidocaine_hours),
            bupivacaine=_range(pdf, clinic.bupivacaine_hours),
        ),
        color=MUTED,
    )
    pdf.ln(1.5)


def _procedures(pdf: _Pdf, data: ReportData) -> None:
    pdf.heading(pdf.gettext("Procedures"))
    if not data.procedures:
        pdf.small(pdf.gettext("No procedures are recorded."))
        return
    widths = (36, 52, 44, 30, 24)
    heads = (
        pdf.gettext("Date"),
        pdf.gettext("Procedure"),
        pdf.gettext("Region and side"),
        pdf.gettext("Levels"),
        pdf.gettext("Anaesthetic"),
    )
    _row(pdf, heads, widths, bold=True, fill=HEAD_FILL)
    for procedure in data.procedures:
        _row(
            pdf,
            (
                pdf.when(procedure.local_at),
                pdf.gettext(PROCEDURE_LABELS[procedure.kind]),
                _region_side(pdf, procedure),
                procedure.levels or "–",
                (procedure.anaesthetic or "–").capitalize(),
            ),
            widths,
        )
    pdf.ln(2)


def _block(pdf: _Pdf, block: BlockReport, data: ReportData) -> None:
    procedure = block.procedure
    areas = block.analysis.areas
    pdf.need(CHART_H + 12 + 4.2 * (1 + 2 * len(areas)))
    pdf.heading(_block_title(pdf, procedure, procedure.anaesthetic, pdf.when))
    if not areas:
        _daily_trend(pdf, block)
        pdf.ln(2.5)
        return
    baselines = {(b.area, b.side): b for b in block.baselines}
    top = pdf.get_y()
    _chart(pdf, areas, MARGIN, top)
    x = MARGIN + CHART_W + 5
    pdf.set_xy(x, top)
    for index, area in enumerate(areas):
        _figures(pdf, area, baselines.get((area.area, area.side)), x, SERIES[index % 4])
    pdf.set_y(max(pdf.get_y(), top + CHART_H) + 1)
    _prompt_table(pdf, areas)
    pdf.ln(1)
    pdf.small(block.sentence, size=7.5)
    # The table and the chart already show missed prompts and open-ended relief.
    notes = [
        n
        for a in areas
        for n in area_notes(a)
        if "may have lasted longer" not in n and "never filled in" not in n
    ]
    if notes:
        pdf.small(" ".join(notes), size=6.5, color=MUTED)
    _daily_trend(pdf, block)
    pdf.ln(2.5)


def _figures(pdf: _Pdf, area: AreaRelief, baseline, x: float, colour) -> None:
    """Two lines of key figures for one area and side, beside the chart."""
    width = CONTENT_W - (x - MARGIN)
    pdf.set_x(x)
    pdf.set_fill_color(*colour)
    pdf.rect(x, pdf.get_y() + 1.1, 2.6, 2.6, style="F")
    pdf.set_x(x + 4)
    pdf.set_font(FONT, "B", 8.5)
    pdf.cell(width - 4, 4.8, _area_side(pdf, area.area, area.side), new_x="LEFT", new_y="NEXT")
    usual = pdf.gettext("not recorded") if area.baseline is None else f"{area.baseline}/10"
    if baseline is not None and baseline.activity:
        usual += f" ({baseline.activity})"
    if baseline is not None and baseline.at_clinic:
        usual = pdf.gettext("{score}, at the clinic").format(score=usual)
    peak = _peak(pdf, area)
    threshold = pdf.gettext("At or above {threshold}%").format(threshold=area.threshold)
    duration = _duration(pdf, area)
    fit = area.fit
    lines = [
        ((pdf.gettext("Usual pain"), usual), (pdf.gettext("Peak relief"), peak)),
        ((threshold, duration),),
    ]
    if fit.anaesthetic and fit.expected_hours:
        lines.append(
            (
                (
                    pdf.gettext("Fits {anaesthetic} ({hours})?").format(
                        anaesthetic=fit.anaesthetic, hours=_range(pdf, fit.expected_hours)
                    ),
                    pdf.gettext(FIT_WORDS.get(fit.verdict, YES_NO[None])),
                ),
            )
        )
    for line in _lines_that_fit(pdf, lines, width - 4):
        pdf.set_x(x + 4)
        for label, value in line:
            pdf.set_font(FONT, "", 7.5)
            pdf.set_text_color(*MUTED)
            pdf.cell(pdf.get_string_width(label + "  "), 4.1, label + " ")
            pdf.set_text_color(*INK)
            pdf.set_font(FONT, "B", 7.5)
            pdf.cell(pdf.get_string_width(value + "    "), 4.1, _fit(pdf, value, width - 30))
        pdf.ln(4.1)
    pdf.ln(1.2)


def _lines_that_fit(pdf: _Pdf, lines, width: float):
    """Each (label, value) pair of a line on a line of its own when the line is wider than
    `width` (longer words in another language)."""
    for line in lines:
        pdf.set_font(FONT, "B", 7.5)  # measured in bold: the wider of the two
        if (
            len(line) > 1
            and sum(pdf.get_string_width(f"{label}  {value}    ") for label, value in line) > width
        ):
            yield from ((pair,) for pair in line)
        else:
            yield line


def _duration(pdf: _Pdf, area: AreaRelief) -> str:
    """The time at or above the threshold with the prompts it runs between: "45 min
    (0:00–0:45)", "never", "cannot be worked out"."""
    if area.hours_at_threshold is None:
        return pdf.gettext("cannot be worked out")
    if area.run_from_minutes is None:
        return pdf.gettext("never")
    duration = _hours(area.hours_at_threshold)
    if area.open_ended:
        duration = pdf.gettext("{duration} or more").format(duration=duration)
    run = f"{_hm(area.run_from_minutes)}–{_hm(area.run_to_minutes or 0)}"
    if area.missed_in_run:
        run = pdf.ngettext(
            "{run}, {count} missed inside", "{run}, {count} missed inside", area.missed_in_run
        ).format(run=run, count=area.missed_in_run)
    return f"{duration} ({run})"


def _prompt_table(pdf: _Pdf, areas: Sequence[AreaRelief]) -> None:
    minutes = sorted({p.minutes for a in areas for p in a.points})
    if not minutes:
        return
    per_row = 14  # 11 prompts and a few paper or everyday times on one strip
    several = len({a.area for a in areas}) > 1
    label_w = 34.0 if several else 26.0  # "Lower back R: relief" whole
    sources = {p.source for a in areas for p in a.points if p.score is not None}
    for start in range(0, len(minutes), per_row):
        chunk = minutes[start : start + per_row]
        cell_w = min(13.3, (CONTENT_W - label_w) / len(chunk))
        pdf.need(4.2 * (1 + 2 * len(areas)))
        _strip(
            pdf,
            pdf.gettext("After block"),
            [(_hm(m), False, False) for m in chunk],
            label_w,
            cell_w,
            bold=True,
        )
        for area in areas:
            by_minute = {p.minutes: p for p in area.points}
            name = (
                f"{pdf.gettext(AREAS[area.area])} {_side_letter(pdf, area.side)}"
                if several
                else pdf.gettext(SIDE_WORDS[area.side])
            )
            scores, reliefs = [], []
            for minute in chunk:
                point = by_minute.get(minute)
                if point is None:
                    scores.append(("", False, False))
                    reliefs.append(("", False, False))
                    continue
                text = (
                    pdf.gettext("missed")
                    if point.score is None
                    else f"{point.score}{SOURCE_MARKS.get(point.source, '')}"
                )
                scores.append((text, point.score is None, False))
                above = point.relief is not None and point.relief >= area.threshold - 1e-9
                reliefs.append((_pct(point.relief), point.relief is None, above))
            _strip(pdf, pdf.gettext("{area}: pain").format(area=name), scores, label_w, cell_w)
            _strip(pdf, pdf.gettext("{area}: relief").format(area=name), reliefs, label_w, cell_w)
    legend = [pdf.gettext(SOURCE_LEGEND[source]) for source in SOURCE_LEGEND if source in sources]
    if legend:
        pdf.small("   ".join(legend), size=6.5, color=MUTED)


def _strip(pdf: _Pdf, label: str, cells, label_w: float, cell_w: float, bold: bool = False) -> None:
    pdf.set_font(FONT, "B", 6.8)
    pdf.set_fill_color(*HEAD_FILL)
    pdf.cell(label_w, 4.2, _fit(pdf, label, label_w - 1), border=1, fill=True)
    for text, muted, above in cells:
        pdf.set_fill_color(*(ABOVE_FILL if above else HEAD_FILL))
        pdf.set_font(FONT, "B" if bold or above else "", 6.8)
        pdf.set_text_color(*(MUTED if muted else INK))
        pdf.cell(cell_w, 4.2, text, border=1, align="C", fill=bold or above)
        pdf.set_text_color(*INK)
    pdf.ln(4.2)


def _chart(pdf: _Pdf, areas: Sequence[AreaRelief], x: float, y: float) -> None:
    """Relief (%) against hours after the block, one line per area and side, the threshold as
    a dashed line, missed prompts as crosses under the line, no line drawn across a gap."""
    left, top = x + 9, y + 1
    width, height = CHART_W - 11, CHART_H - 8
    reliefs = [p.relief for a in areas for p in a.points if p.relief is not None]
    low = min([0.0, *reliefs])
    low = -25.0 * -(-abs(low) // 25) if low < 0 else 0.0
    high = 100.0
    last_minutes = max([p.minutes for a in areas for p in a.points] + [480])
    span_h = max(1, -(-last_minutes // 60))
    threshold = areas[0].threshold

    def px(minutes: float) -> float:
        return left + width * minutes / (span_h * 60)

    def py(relief: float) -> float:
        return top + height * (high - relief) / (high - low)

    pdf.set_draw_color(*GRID)
    pdf.set_line_width(0.15)
    pdf.set_font(FONT, "", 6)
    pdf.set_text_color(*MUTED)
    for value in range(int(low), 101, 25):
        pdf.line(left, py(value), left + width, py(value))
        pdf.text(x, py(value) + 1, f"{value}%".replace("-", "−"))
    step = 1 if span_h <= 8 else 2
    for hour in range(0, span_h + 1, step):
        pdf.line(px(hour * 60), top, px(hour * 60), top + height)
        pdf.text(px(hour * 60) - 1.2, top + height + 3.2, f"{hour}h")
    pdf.text(left + width / 2 - 10, top + height + 6.2, pdf.gettext("hours after the block"))
    pdf.set_draw_color(*MUTED)
    pdf.set_line_width(0.25)
    pdf.line(left, py(0), left + width, py(0))
    pdf.line(left, top, left, top + height)

    pdf.set_draw_color(*THRESHOLD)
    pdf.set_line_width(0.35)
    pdf.set_dash_pattern(dash=1.4, gap=1.0)
    pdf.line(left, py(threshold), left + width, py(threshold))
    pdf.set_dash_pattern()
    pdf.set_text_color(*THRESHOLD)
    pdf.set_font(FONT, "B", 6)
    pdf.text(
        left + width - 14,
        py(threshold) - 1,
        pdf.gettext("threshold {threshold}%").format(threshold=threshold),
    )

    missing = []
    for index, area in enumerate(areas):
        colour = SERIES[index % 4]
        if area.baseline in (None, 0):
            missing.append(_area_side(pdf, area.area, area.side).lower())
            continue
        pdf.set_draw_color(*colour)
        pdf.set_fill_color(*colour)
        pdf.set_line_width(0.5)
        segment: list[tuple[float, float]] = []
        for point in area.points:
            if point.relief is None:
                if len(segment) > 1:
                    pdf.polyline(segment)
                segment = []
                continue
            segment.append((px(point.minutes), py(point.relief)))
        if len(segment) > 1:
            pdf.polyline(segment)
        pdf.set_line_width(0.3)
        for point in area.points:
            if point.relief is None:
                continue
            if point.source in SOURCE_MARKS:  # not a live prompt: an open circle
                pdf.set_fill_color(255, 255, 255)
                pdf.circle(px(point.minutes), py(point.relief), 0.9, style="DF")
                pdf.set_fill_color(*colour)
            else:
                pdf.circle(px(point.minutes), py(point.relief), 0.75, style="F")
        pdf.set_line_width(0.35)
        for point in area.points:
            if point.score is None:
                cx, cy = px(point.minutes), py(low) - 1.4 - 2.0 * index
                pdf.line(cx - 0.8, cy - 0.8, cx + 0.8, cy + 0.8)
                pdf.line(cx - 0.8, cy + 0.8, cx + 0.8, cy - 0.8)
    pdf.set_font(FONT, "", 5.5)
    pdf.set_text_color(*MUTED)
    keys = []
    if any(p.score is None for a in areas for p in a.points):
        keys.append(pdf.gettext("× missed prompt"))
    if any(p.source in SOURCE_MARKS and p.relief is not None for a in areas for p in a.points):
        keys.append(pdf.gettext("○ paper or everyday diary"))
    if keys:
        pdf.text(x, top + height + 6.2, "   ".join(keys[:1]))
        if len(keys) > 1:
            pdf.text(left + width - pdf.get_string_width(keys[1]), top + height + 6.2, keys[1])
    if missing:
        pdf.set_font(FONT, "", 6.5)
        pdf.set_text_color(*INK)
        pdf.text(
            left + 3,
            top + height / 2 + 8,
            pdf.gettext("No relief line for {areas}: no usual pain, or it was 0.").format(
                areas=", ".join(missing)
            ),
        )
    pdf.set_text_color(*INK)
    pdf.set_draw_color(*INK)


def _daily_trend(pdf: _Pdf, block: BlockReport) -> None:
    """The everyday diary around the block: the average pain of each day from a week before to
    two weeks after, as dots joined day to day (no line across a day with no entries), the
    block's day marked, each value printed above its dot."""
    if not block.days:
        return
    from app.services.reports import DAYS_AFTER_BLOCK, DAYS_BEFORE_BLOCK

    height, label_h = 12.0, 8.0
    pdf.need(height + label_h + 7)
    pdf.ln(1)
    pdf.small(
        pdf.gettext("Everyday diary around the block: average pain of each day (0–10)"),
        size=7.5,
        bold=True,
    )
    block_day = block.procedure.local_date
    slots = DAYS_BEFORE_BLOCK + DAYS_AFTER_BLOCK + 1
    left, top = MARGIN + 9, pdf.get_y() + 3.5
    slot_w = (CONTENT_W - 9) / slots

    def px(offset: int) -> float:
        return left + slot_w * (offset + DAYS_BEFORE_BLOCK + 0.5)

    def py(score: float) -> float:
        return top + height * (10 - score) / 10

    pdf.set_draw_color(*GRID)
    pdf.set_line_width(0.15)
    pdf.set_font(FONT, "", 5.5)
    pdf.set_text_color(*MUTED)
    for score in (0, 10):
        pdf.line(left, py(score), left + slot_w * slots, py(score))
        pdf.text(MARGIN + 4, py(score) + 0.8, str(score))
    pdf.set_draw_color(*THRESHOLD)
    pdf.set_dash_pattern(dash=1.0, gap=0.8)
    pdf.line(px(0), top - 1, px(0), top + height)
    pdf.set_dash_pattern()
    for offset in range(-DAYS_BEFORE_BLOCK, DAYS_AFTER_BLOCK + 1):
        day = block_day + timedelta(days=offset)
        text = pdf.gettext("block") if offset == 0 else pdf.day_month(day)
        pdf.set_text_color(*(THRESHOLD if offset == 0 else MUTED))
        pdf.set_font(FONT, "B" if offset == 0 else "", 5)
        pdf.text(px(offset) - pdf.get_string_width(text) / 2, top + height + 3, text)
    by_offset = {(d.day - block_day).days: d for d in block.days}
    pdf.set_draw_color(*TREND)
    pdf.set_fill_color(*TREND)
    pdf.set_line_width(0.45)
    for offset, summary in by_offset.items():
        following = by_offset.get(offset + 1)
        if following is not None:
            pdf.line(px(offset), py(summary.average), px(offset + 1), py(following.average))
    pdf.set_font(FONT, "", 5.5)
    pdf.set_text_color(*INK)
    for offset, summary in sorted(by_offset.items()):
        pdf.set_fill_color(*TREND)
        pdf.circle(px(offset), py(summary.average), 0.7, style="F")
        value = pdf.decimal(summary.average)
        width = pdf.get_string_width(value)
        # A white ground, so the block's dashed line does not run through the number.
        pdf.set_fill_color(255, 255, 255)
        pdf.rect(
            px(offset) - width / 2 - 0.3, py(summary.average) - 3.3, width + 0.6, 2.3, style="F"
        )
        pdf.text(px(offset) - width / 2, py(summary.average) - 1.4, value)
    pdf.set_y(top + height + 4.5)
    pdf.set_text_color(*INK)
    pdf.set_draw_color(*INK)


def _comparison(pdf: _Pdf, comparison: BlockComparison, data: ReportData) -> None:
    """The two blocks side by side, per area and side: each part of the rule on its own row
    (yes, no or can't tell), and a verdict line only when both parts hold for both blocks;
    otherwise the rows speak for themselves, with the reason for each "can't tell"."""
    if not comparison.areas:
        return
    procedures = {b.procedure.id: b.procedure for b in data.blocks}
    threshold = comparison.first.threshold
    widths = (44.0, (CONTENT_W - 44) / 2, (CONTENT_W - 44) / 2)
    pdf.need(14 + 31 * len(comparison.areas))
    pdf.heading(pdf.gettext("The two blocks compared, part by part"), 9.5)
    pdf.small(
        pdf.gettext(
            "The rule has two parts: relief reached the clinic's threshold ({threshold}%), and "
            "relief at or above it lasted at least as long as the anaesthetic is expected to (the "
            'low end of the expected hours). Each part is shown for each block; "{cannot_tell}" '
            "means the diary does not show it."
        ).format(threshold=threshold, cannot_tell=pdf.gettext(YES_NO[None])),
        size=6.8,
        color=MUTED,
    )
    pdf.ln(0.8)
    heads = [
        _block_title(pdf, procedures.get(analysis.procedure_id), analysis.anaesthetic, pdf.day)
        for analysis in (comparison.first, comparison.second)
    ]
    for area in comparison.areas:
        pdf.need(31)
        pdf.set_font(FONT, "B", 8)
        pdf.cell(
            CONTENT_W, 4.4, _area_side(pdf, area.area, area.side), new_x="LMARGIN", new_y="NEXT"
        )
        _row(pdf, ("", *heads), widths, bold=True, fill=HEAD_FILL)
        pair = (area.first, area.second)
        rows = (
            (pdf.gettext("Peak relief"), [_peak(pdf, a) for a in pair]),
            (
                pdf.gettext("1. Reached {threshold}%").format(threshold=threshold),
                [pdf.gettext(YES_NO[a.reached_threshold]) for a in pair],
            ),
            (
                pdf.gettext("Time at or above {threshold}%").format(threshold=threshold),
                [_duration(pdf, a) for a in pair],
            ),
            (
                pdf.gettext("Expected for the anaesthetic"),
                [
                    _range(pdf, a.fit.expected_hours)
                    if a.fit.expected_hours
                    else pdf.gettext("not recorded")
                    for a in pair
                ],
            ),
            (
                pdf.gettext("2. Lasted as long as expected"),
                [pdf.gettext(YES_NO[a.lasted_as_expected]) for a in pair],
            ),
            (pdf.gettext("Both parts met"), [pdf.gettext(YES_NO[met_both_parts(a)]) for a in pair]),
        )
        for label, values in rows:
            _row(pdf, (label, *values), widths)
        pdf.ln(0.6)
        if area.both_parts:
            concordance = concordance_words(area)
            pdf.small(
                f"{pdf.gettext('Both blocks met both parts.')} {concordance}".strip(),
                size=7.5,
                bold=True,
            )
        for a in pair:
            if a.fit.verdict == UNKNOWN and a.reached_threshold:
                pdf.small(fit_explanation(a.fit), size=6.5, color=MUTED)
        pdf.ln(1.5)
    pdf.ln(1)


def _block_title(pdf: _Pdf, procedure: Procedure | None, anaesthetic: str | None, date_text) -> str:
    """ "Test block, 13 Jan 2026, lidocaine"; `date_text` formats the procedure's local time."""
    if procedure is None:
        return anaesthetic or "–"
    parts = [pdf.gettext(PROCEDURE_LABELS[procedure.kind]), date_text(procedure.local_at)]
    return ", ".join(parts + ([anaesthetic] if anaesthetic else []))


def _peak(pdf: _Pdf, area: AreaRelief) -> str:
    if area.peak is None:
        return "–"
    return pdf.gettext("{percent} at {time}").format(
        percent=_pct(area.peak), time=_hm(area.peak_minutes or 0)
    )


def _outcomes(pdf: _Pdf, rfa: RfaReport) -> None:
    pdf.need(30)
    procedure = rfa.procedure
    pdf.heading(
        pdf.gettext("Outcomes after the RFA of {date}, {where}").format(
            date=pdf.when(procedure.local_at), where=_region_side(pdf, procedure).lower()
        )
    )
    trend: OutcomeTrend = rfa.trend
    widths = (26, 24, 18, 40, 20, 14, 44)
    heads = (
        pdf.gettext("When"),
        pdf.gettext("Date"),
        pdf.gettext("Pain 0–10"),
        pdf.gettext("Change against before"),
        pdf.gettext("Meaningful"),
        pdf.gettext("PEG"),
        pdf.gettext("PEG change"),
    )
    _row(pdf, heads, widths, bold=True, fill=HEAD_FILL)
    points = {p.checkin.week: p for p in trend.points}
    for checkin in sorted(rfa.checkins, key=lambda c: c.week):
        point = points.get(checkin.week)
        change = point.pain if point else None
        peg_change = point.peg if point else None
        _row(
            pdf,
            (
                _week_words(pdf, checkin),
                pdf.day(checkin.local_at),
                str(checkin.pain),
                change.words
                if change
                else (pdf.gettext("baseline") if checkin.is_baseline else "–"),
                pdf.gettext(YES_NO[change.meaningful]) if change else "–",
                pdf.decimal(checkin.peg.score) if checkin.peg else "–",
                peg_change.words if peg_change else "–",
            ),
            widths,
        )
    pdf.small(
        pdf.gettext(
            "Meaningful: at least 2 points or 30% against before the RFA. PEG: "
            "the mean of three 0–10 items (pain, enjoyment of life, general "
            "activity)."
        ),
        size=6.5,
        color=MUTED,
    )
    _checkin_notes(pdf, rfa)
    if trend.note:
        pdf.ln(1)
        pdf.small(trend.note, size=8, bold=True)
    pdf.ln(2)


# --- helpers ------------------------------------------------------------------------------------


def _row(
    pdf: _Pdf, cells: Sequence[str], widths: Sequence[float], *, bold: bool = False, fill=None
) -> None:
    pdf.set_font(FONT, "B" if bold else "", 7.5)
    if fill:
        pdf.set_fill_color(*fill)
    for text, width in zip(cells, widths, strict=True):
        pdf.cell(width, 4.6, _fit(pdf, text, width - 1.5), border="B", fill=bool(fill))
    pdf.ln(4.6)


def _fit(pdf: _Pdf, text: str, width: float) -> str:
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _checkin_notes(pdf: _Pdf, rfa: RfaReport) -> None:
    """The patient's own notes at the check-ins, as they typed them, each after its week."""
    noted = [c for c in sorted(rfa.checkins, key=lambda c: c.week) if c.note.strip()]
    if not noted:
        return
    pdf.ln(0.8)
    pdf.small(pdf.gettext("The patient's notes"), size=7.5, bold=True)
    for checkin in noted:
        pdf.small(
            pdf.gettext("{week}, {date}: {note}").format(
                week=_week_words(pdf, checkin),
                date=pdf.day(checkin.local_at),
                note=checkin.note.strip(),
            ),
            size=7.5,
        )


def _side_letter(pdf: _Pdf, side: str) -> str:
    """ "L", "R", "both": the translation's text before its bracketed explanation."""
    return pdf.gettext(SIDE_SHORT[side]).split(" (")[0]


def _region_side(pdf: _Pdf, procedure: Procedure) -> str:
    return pdf.gettext(REGION_SIDE[procedure.side]).format(
        region=pdf.gettext(REGION_LABELS[procedure.region])
    )


def _area_side(pdf: _Pdf, area: str, side: str) -> str:
    """ "Lower back, left side" in the clinic's language (the domain's area label is in the
    patient's)."""
    return pdf.gettext(REGION_SIDE[side]).format(region=pdf.gettext(AREAS[area]))


def _hm(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def _hours(hours: float) -> str:
    minutes = round(hours * 60)
    if minutes % 60 == 0:
        return f"{minutes // 60} h"
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def _range(pdf: _Pdf, hours: tuple[float, float]) -> str:
    """ "1–2 h", "3–8 h" ("1,5–2 h" with a decimal comma)."""
    return f"{pdf.hours(hours[0])}–{pdf.hours(hours[1])} h"


def _pct(value: float | None) -> str:
    if value is None:
        return "–"
    return percent_text(value).replace("-", "−")


def _week_words(pdf: _Pdf, checkin: OutcomeCheckIn) -> str:
    if checkin.is_baseline:
        return pdf.gettext("Before the RFA")
    return pdf.gettext("Week {week}").format(week=checkin.week)
