"""The app's words in the patient's language. Pure Python (no Kivy): every layer may use it.

Python code marks a sentence with `_("...")` where it is shown, so a changed language is used at
the next screen; a module-level constant is marked with `N_("...")` and passed through `_()` when
shown. Counted words use `ngettext`. KV files call the same `_()` (registered for KV by
app/ui/kv.py).

This first version returns the English text; the catalogs come with issue 12.
"""

from __future__ import annotations

import gettext
import io
from functools import lru_cache
from pathlib import Path

LANGUAGES = {"en": "English", "es": "Español"}
_language = "en"


def _(message: str) -> str:
    return message


def N_(message: str) -> str:
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


def language() -> str:
    return _language


def set_language(code: str) -> None:
    global _language
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}")
    _language = code


# --- A language other than the current one ----------------------------------------------------
# The PDF report holds two at once: the patient's (the current language) and the clinic's for
# the fields a clinician reads. Added by the reports part (see /work/helpers/REPORTS_NEEDS): a
# stand-in that reads the Spanish .po files in data/locale/<code>/ until the compiled catalog
# lands; its name and signature stay.


@lru_cache(maxsize=None)
def translation(code: str) -> gettext.NullTranslations:
    """The words of language `code` ("en", "es"), whatever the current language is: an object
    with `.gettext(msgid)` and `.ngettext(singular, plural, n)`. English, or a msgid without a
    translation, gives the msgid itself."""
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}")
    if code == "en":
        return gettext.NullTranslations()
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    merged = Catalog(locale=code)
    for po in sorted(_locale_folder(code).glob("*.po")):
        with po.open("rb") as file:
            for message in read_po(file, locale=code):
                if message.id and message.string and any(message.string if isinstance(
                        message.string, tuple) else [message.string]):
                    merged[message.id] = message
    compiled = io.BytesIO()
    write_mo(compiled, merged)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _locale_folder(code: str) -> Path:
    """data/locale/<code>: inside the installed package (app/_data), else beside app/."""
    package = Path(__file__).resolve().parent
    installed = package / "_data" / "locale" / code
    return installed if installed.is_dir() else package.parent / "data" / "locale" / code
