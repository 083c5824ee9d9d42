"""The Learn articles: plain-language texts about the test block, the confirming block and RFA.

Each article is one file, `data/learn/<id>.md` in English and `data/learn/<language>/<id>.md` in
another language (`data/learn/es/<id>.md`), written in a tiny Markdown subset that the UI renders
and read-aloud can speak (app/services/resources.py picks and reads the file; this module parses
the text and is told which language it is in):

- the first line is `# Title`;
- `## Subheading` lines;
- `- ` bullet lines (a line indented under a bullet continues it);
- paragraphs: runs of other lines, separated by blank lines;
- `**bold**` inside text, used sparingly.

Links, images, tables, inline HTML, deeper headings and numbered lists are not part of the subset
and are refused with the file and line named, so a translator sees at once what to fix.

Two placeholders may appear in text: `{emergency_number}` and `{clinic_phone}`. The screen fills
them from the clinic's settings with `fill_placeholders`, which falls back to friendly words when
the clinic has not set a number. Any other `{word}` is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from app.i18n import N_, _

# The order the Learn screen lists them in: the journey first, then the questions.
ARTICLE_IDS: tuple[str, ...] = (
    "how-it-works",
    "why-test-block-first",
    "day-of-block",
    "day-of-rfa",
    "recovery",
    "how-long-relief-lasts",
    "evidence",
    "common-questions",
    "when-to-call",
)

BlockKind = Literal["heading", "paragraph", "bullet"]

PLACEHOLDERS = ("emergency_number", "clinic_phone")
# The language the articles are first written in (the files directly in data/learn/).
ENGLISH = "en"
EMERGENCY_FALLBACK = N_("your local emergency number")
CLINIC_FALLBACK = N_("your clinic")
# How a set number reads where a sentence names it. English says just the number ("Call 911");
# a language may put words around it, as Spanish does ("Llame a emergencias (911)").
EMERGENCY_WITH_NUMBER = N_("{emergency_number}")
CLINIC_WITH_PHONE = N_("your clinic ({phone})")


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    blocks: tuple[Block, ...]
    language: str = ENGLISH  # what it is written in, so read-aloud picks the matching voice

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(b.text for b in self.blocks if b.kind == "heading")


class ArticleFormatError(ValueError):
    """A Learn file breaks the format; the message names the file and the line."""

    def __init__(self, path: Path | str, line: int, problem: str) -> None:
        self.path = Path(path)
        self.line = line
        self.problem = problem
        super().__init__(f"{self.path}, line {line}: {problem}")


# What the subset does not allow, each with the message a writer sees.
_FORBIDDEN: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"https?://|www\.", re.I), "web addresses are not allowed"),
    (re.compile(r"!?\[[^\]]*\]\([^)]*\)"), "links and images are not allowed"),
    (re.compile(r"[\[\]]"), "square brackets are not allowed (they look like a link)"),
    (re.compile(r"</?[A-Za-z][^>]*>"), "inline HTML is not allowed"),
    (re.compile(r"`"), "code marks (`) are not allowed"),
    (re.compile(r"(?<!\*)\*(?!\*)|\*{3,}"), "use ** for bold; single * or *** is not allowed"),
    (re.compile(r"_"), "underscores are not allowed outside a placeholder"),
)
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _check_inline(text: str, path: Path, line: int) -> None:
    for name in _PLACEHOLDER.findall(text):
        if name not in PLACEHOLDERS:
            allowed = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            problem = f"unknown placeholder {{{name}}} (allowed: {allowed})"
            raise ArticleFormatError(path, line, problem)
    rest = _PLACEHOLDER.sub("", text)
    if "{" in rest or "}" in rest:
        raise ArticleFormatError(path, line, "a { or } that is not part of a placeholder")
    for pattern, problem in _FORBIDDEN:
        if pattern.search(rest):
            raise ArticleFormatError(path, line, problem)
    if rest.count("**") % 2:
        raise ArticleFormatError(path, line, "a ** bold mark is not closed on this line")


def parse_article(
    article_id: str, source: str, path: Path | str = "<text>", language: str = ENGLISH
) -> Article:
    """Turn the text of one article, written in `language`, into an `Article`, or raise
    `ArticleFormatError`."""
    path = Path(path)
    lines = source.splitlines()
    if not lines or not lines[0].startswith("# ") or not lines[0][2:].strip():
        raise ArticleFormatError(path, 1, "the first line must be '# Title'")
    title = lines[0][2:].strip()
    _check_inline(title, path, 1)

    blocks: list[Block] = []
    # The block being built: its kind and its lines so far.
    kind: BlockKind | None = None
    parts: list[str] = []

    def finish() -> None:
        nonlocal kind, parts
        if kind is not None:
            blocks.append(Block(kind, " ".join(parts)))
        kind, parts = None, []

    for number, raw in enumerate(lines[1:], start=2):
        line = raw.rstrip()
        stripped = line.strip()
        if "\t" in raw:
            raise ArticleFormatError(path, number, "use spaces, not tabs")
        if not stripped:
            finish()
            continue
        if re.match(r"[*+] |\d+[.)] ", stripped):
            raise ArticleFormatError(path, number, "bullets must start with '- '")
        if stripped == "-":
            raise ArticleFormatError(path, number, "a bullet has no text")
        _check_inline(stripped, path, number)
        if line.startswith("#"):
            if line.startswith("# "):
                raise ArticleFormatError(path, number, "only the first line may be a '# Title'")
            if not line.startswith("## ") or line.startswith("###"):
                raise ArticleFormatError(path, number, "headings must be '## Subheading'")
            finish()
            blocks.append(Block("heading", stripped[3:].strip()))
            continue
        if stripped.startswith("|"):
            raise ArticleFormatError(path, number, "tables are not allowed")
        if line.startswith("- "):
            finish()
            text = line[2:].strip()
            if not text:
                raise ArticleFormatError(path, number, "a bullet has no text")
            kind, parts = "bullet", [text]
            continue
        if line.startswith(" "):
            if kind == "bullet":
                parts.append(stripped)
                continue
            raise ArticleFormatError(path, number, "only a bullet's continuation may be indented")
        if kind == "bullet":
            raise ArticleFormatError(
                path, number, "leave a blank line between a list and the paragraph after it"
            )
        if kind is None:
            kind = "paragraph"
        parts.append(stripped)
    finish()

    if not blocks:
        raise ArticleFormatError(path, len(lines), "the article has a title but no text")
    return Article(id=article_id, title=title, blocks=tuple(blocks), language=language)


def check_article_id(article_id: object) -> str:
    """`article_id` when it is a plain article id ("day-of-block"), so it can name a file safely;
    a `ValueError` otherwise."""
    if not isinstance(article_id, str) or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", article_id):
        raise ValueError(f"not an article id: {article_id!r}")
    return article_id


def fill_placeholders(text: str, *, emergency_number: str, clinic_phone: str) -> str:
    """Put the clinic's numbers into an article's text.

    `{emergency_number}` becomes the number itself, or "your local emergency number" when unset.
    `{clinic_phone}` becomes "your clinic (<phone>)", or "your clinic" when unset, so a sentence
    such as "Call {clinic_phone} today." reads well either way. The words are in the patient's
    language (Spanish: "Llame a emergencias (911)", "Llame a su clínica (555 0100)").
    """
    number = " ".join(emergency_number.split())
    phone = " ".join(clinic_phone.split())
    # The values typed by clinic staff go into our wording by plain replacement, never
    # str.format, so braces in them stay as typed.
    emergency = (
        _(EMERGENCY_WITH_NUMBER).replace("{emergency_number}", number)
        if number
        else _(EMERGENCY_FALLBACK)
    )
    clinic = _(CLINIC_WITH_PHONE).replace("{phone}", phone) if phone else _(CLINIC_FALLBACK)
    values = {"emergency_number": emergency, "clinic_phone": clinic}
    # One pass, so a value that happens to hold a placeholder's name is never filled again.
    return _PLACEHOLDER.sub(lambda found: values.get(found.group(1), found.group(0)), text)


def plain_text(text: str) -> str:
    """The text without its bold marks, for read-aloud and search."""
    return text.replace("**", "")
