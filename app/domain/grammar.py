"""Small rules of English for sentences built from names ("This is an anti-inflammatory").
Pure Python."""

from __future__ import annotations

from itertools import takewhile

# Words spelt with a vowel but said with a consonant sound ("a usual", "a one-off"), and
# the reverse ("an hour"). Lower case; a word matches when it starts with one of these.
CONSONANT_SOUND_STARTS = ("uni", "use", "usu", "uro", "eu", "one", "once")
VOWEL_SOUND_STARTS = ("hour", "honest", "honour", "heir")
# Capital letters whose names start with a vowel sound, for initialisms ("an RFA", "an NSAID").
VOWEL_SOUND_LETTERS = frozenset("AEFHILMNORSX")


def article_for(words: str) -> str:
    """ "a" or "an", by the sound that starts `words`."""
    first = words.strip().split(" ", 1)[0].strip("“”\"'(")
    if not first:
        return "a"
    letters = "".join(takewhile(str.isalpha, first))
    if len(letters) > 1 and letters.isupper():  # an initialism, said letter by letter
        return "an" if letters[0] in VOWEL_SOUND_LETTERS else "a"
    lower = first.lower()
    if lower.startswith(VOWEL_SOUND_STARTS):
        return "an"
    if lower.startswith(CONSONANT_SOUND_STARTS):
        return "a"
    return "an" if lower[0] in "aeiou" else "a"


def with_article(words: str) -> str:
    """ "an anti-inflammatory", "a blood thinner", "an NSAID"."""
    return f"{article_for(words)} {words}"
