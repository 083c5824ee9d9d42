"""The app's words in the patient's language. Pure Python (no Kivy): every layer may use it.

Python code marks a sentence with `_("...")` where it is shown, so a changed language is used at
the next screen; a module-level constant is marked with `N_("...")` and passed through `_()` when
shown. Counted words use `ngettext`. KV files call the same `_()` (registered for KV by
app/ui/kv.py).

This first version returns the English text; the catalogs come with issue 12.
"""

from __future__ import annotations

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
