"""The app's words in the patient's language. Pure Python (no Kivy): every layer may use it.

Python code marks a sentence with `_("...")` where it is shown, so a changed language is used at
the next screen; a module-level constant is marked with `N_("...")` and passed through `_()` when
shown. Counted words use `ngettext`. KV files call the same `_()` (registered for KV by
app/ui/kv.py), so `_` and `ngettext` stay the same function objects for the whole run and look
up the current language on every call.

The English is the msgid itself. Every other language has one compiled gettext catalog,
data/locale/<code>/LC_MESSAGES/facet.mo, merged from that language's .po files by
installers/catalog.py (bash dev.sh, the wheel and the desktop build run it). A catalog is read
when its language is chosen, never by `_()` itself, so the domain's calls read no files.
"""

from __future__ import annotations

import gettext
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from app.package_files import locale_folder

LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT_LANGUAGE = "en"
DOMAIN = "facet"

log = logging.getLogger(__name__)

_language = DEFAULT_LANGUAGE
_translations: gettext.NullTranslations = gettext.NullTranslations()
_loaded: dict[str, gettext.NullTranslations] = {DEFAULT_LANGUAGE: _translations}


def _(message: str) -> str:
    return _translations.gettext(message)


def N_(message: str) -> str:
    """Marks a constant for extraction; `_()` translates it where it is shown."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translations.ngettext(singular, plural, count)


def language() -> str:
    return _language


def set_language(code: str) -> None:
    """Every `_()` from now on answers in `code` ("en", "es"). A language whose catalog is
    missing (a checkout where it was never compiled) shows English, with a warning in the log."""
    global _language, _translations
    _translations = translation(code)
    _language = code


def checked_language(code: object) -> str:
    """A stored language code, or the default for a missing or unknown one."""
    return code if isinstance(code, str) and code in LANGUAGES else DEFAULT_LANGUAGE


@contextmanager
def in_language(code: str) -> Iterator[None]:
    """The words (and dates) of the block in `code`, e.g. the clinic's part of a report; the
    patient's language comes back after it. For one thread: the UI's."""
    before = _language
    set_language(code)
    try:
        yield
    finally:
        set_language(before)


def translation(code: str) -> gettext.NullTranslations:
    """The words of one language beside the patient's (`.gettext`, `.ngettext`): a report's
    clinician fields in the clinic's language. English is the msgid itself."""
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}")
    return _catalog(code)


def _catalog(code: str) -> gettext.NullTranslations:
    if code not in _loaded:
        try:
            _loaded[code] = gettext.translation(DOMAIN, str(locale_folder()), languages=[code])
        except OSError:
            log.warning(
                "no compiled catalog for %r in %s (run: python installers/catalog.py "
                "compile): showing English",
                code,
                locale_folder(),
            )
            return gettext.NullTranslations()
    return _loaded[code]
