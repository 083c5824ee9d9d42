"""Small grammar for sentences the app builds from parts: "a blood thinner", "an opioid"."""

from __future__ import annotations

# Words spelt with a vowel that start with a consonant sound ("a unit"), and the reverse ("an
# hour"). Enough for the app's own phrases; a new phrase that needs more adds its word here.
_CONSONANT_SOUNDS = ("uni", "use", "usu", "eu", "one", "once")
_VOWEL_SOUNDS = ("hour", "honest", "honour", "honor", "heir")
# Capital letters whose spoken name starts with a vowel sound: "an NSAID", "an RFA", "an X-ray".
_VOWEL_LETTERS = set("AEFHILMNORSX")


def indefinite_article(phrase: str) -> str:
    """"a" or "an" for `phrase`, by how its first word sounds."""
    word = phrase.strip().split(" ", 1)[0] if phrase.strip() else ""
    letters = "".join(ch for ch in word if ch.isalpha())
    if not letters:
        return "a"
    head = "".join(ch for ch in word.split("-")[0] if ch.isalpha())
    if head.isupper() and (len(head) > 1 or len(letters) == 1 or "-" in word):
        return "an" if head[0] in _VOWEL_LETTERS else "a"  # letters spoken one by one
    lower = letters.lower()
    if lower.startswith(_VOWEL_SOUNDS):
        return "an"
    if lower.startswith(_CONSONANT_SOUNDS):
        return "a"
    return "an" if lower[0] in "aeiou" else "a"


def with_article(phrase: str) -> str:
    """`phrase` after "a" or "an": "an anti-inflammatory pain medicine"."""
    return f"{indefinite_article(phrase)} {phrase.strip()}"
