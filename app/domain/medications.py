"""Recognising the medicines that matter around a spine procedure, from what a patient types.

When a patient lists what they take, `recognise("Eliquis 5 mg tablets")` tells which kinds of
medicine it is: a blood thinner, an antiplatelet, a diabetes medicine, a GLP-1 medicine (for
diabetes or weight loss), or a pain medicine (anti-inflammatory, opioid, paracetamol, or the
gabapentin kind used for nerve pain). A product can be of two kinds: Excedrin holds aspirin (an
antiplatelet) and paracetamol; Soliqua holds insulin and a GLP-1 medicine. The screen then shows
the clinic's own instruction for each kind, or "Ask your clinic" with the clinic's phone.

This module never says whether to stop or keep taking anything. It only names the kinds.

Matching works on whole words, so "aspirin" is never found inside another word. Case, accents,
doses and forms ("81mg", "tablets", "sodium") do not matter, since only listed names are looked
for. A name of 6 or more letters also matches with one typo: a wrong, missing or extra letter, or
two letters swapped ("clopidogrl", "Xarleto"), unless the typo is as close to another medicine.

The list itself is `data/medications.toml`, read by app/services/resources.py and parsed here
(`parse_medicines`); every function that recognises takes the parsed list.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from typing import Literal

DrugClass = Literal[
    "anticoagulant",
    "antiplatelet",
    "diabetes",
    "glp1",
    "nsaid",
    "opioid",
    "paracetamol",
    "gabapentinoid",
]

# What one medicine of each kind is called, in words a patient knows. A weight-loss GLP-1 brand
# is only "glp1", never "diabetes": the list gives each brand its own kinds.
CLASS_LABELS: dict[str, str] = {
    "anticoagulant": "blood thinner",
    "antiplatelet": "antiplatelet medicine (also thins the blood)",
    "diabetes": "diabetes medicine",
    "glp1": "GLP-1 medicine (it slows down the stomach)",
    "nsaid": "anti-inflammatory pain medicine",
    "opioid": "opioid pain medicine",
    "paracetamol": "paracetamol (acetaminophen) pain medicine",
    "gabapentinoid": "nerve pain medicine (gabapentin or pregabalin)",
}

# A name needs this many letters before a typo is forgiven; shorter names must be exact.
TYPO_MIN_LETTERS = 6
# Medicine names are short; a longer text is only looked at up to here.
MAX_INPUT_CHARS = 2000


@dataclass(frozen=True)
class Recognised:
    """A medicine found in the patient's text.

    `matched_name` is the listed name that matched (a brand, another name or the generic), spelt as
    in the list. `classes` are its kinds, the main one first. `exact` is False when it matched only
    with a typo, so a screen can ask "Did you mean ...?".
    """

    matched_name: str
    generic: str
    classes: tuple[DrugClass, ...]
    exact: bool = True

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(CLASS_LABELS[drug_class] for drug_class in self.classes)


@dataclass(frozen=True)
class Medicine:
    generic: str
    classes: tuple[DrugClass, ...]
    names: tuple[str, ...]
    weak_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Name:
    display: str
    tokens: tuple[str, ...]
    joined: str
    letters: int
    weak: bool
    medicine: Medicine
    index: int  # place in the list, the last tie-breaker


@dataclass(frozen=True)
class MedicineList:
    medicines: tuple[Medicine, ...]
    not_typos: frozenset[str]
    _names: tuple[_Name, ...]
    _exact: dict[tuple[str, ...], _Name]
    _max_tokens: int


class MedicineListError(ValueError):
    """The medicines file is malformed; the message names the file and the entry."""


def tokens_of(text: str) -> tuple[str, ...]:
    """Lower-case words and numbers, accents removed: 'Eliquis 5mg' -> ('eliquis', '5', 'mg')."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return tuple(re.findall(r"[a-z]+|[0-9]+", bare))


def within_one_typo(a: str, b: str) -> bool:
    """True when `a` and `b` differ by at most one substitution, insertion, deletion or swap of
    two neighbouring letters (optimal string alignment distance <= 1)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if la == lb:
        first = next(i for i in range(la) if a[i] != b[i])
        if a[first + 1 :] == b[first + 1 :]:
            return True
        return (
            first + 1 < la
            and a[first] == b[first + 1]
            and a[first + 1] == b[first]
            and a[first + 2 :] == b[first + 2 :]
        )
    if abs(la - lb) != 1:
        return False
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def parse_medicines(text: str, source: str = "<text>") -> MedicineList:
    """Check the text of a medicines file and build the list; `source` names the file in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MedicineListError(f"{source}: {error}") from error

    medicines: list[Medicine] = []
    names: list[_Name] = []
    exact: dict[tuple[str, ...], _Name] = {}
    for number, entry in enumerate(data.get("medicine", []), start=1):
        where = f"{source}, medicine {number}"
        generic = entry.get("generic")
        if not isinstance(generic, str) or not generic.strip():
            raise MedicineListError(f"{where}: 'generic' must be a name")
        where = f"{source}, medicine {number} ({generic})"
        classes = _checked_classes(entry.get("class"), where)
        unknown = set(entry) - {"generic", "class", "names", "weak"}
        if unknown:
            raise MedicineListError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
        listed = entry.get("names", [])
        weak = entry.get("weak", [])
        for key, value in (("names", listed), ("weak", weak)):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise MedicineListError(f"{where}: '{key}' must be a list of names")
        medicine = Medicine(generic.strip(), classes, tuple(listed), tuple(weak))
        # A generic named again (semaglutide for Ozempic, then for Wegovy) is matched once, by
        # the first entry, which therefore holds the kinds the generic alone is sure to have.
        repeated = any(m.generic.casefold() == medicine.generic.casefold() for m in medicines)
        medicines.append(medicine)
        spellings = [] if repeated else [(generic.strip(), False)]
        spellings += [(n, False) for n in listed] + [(n, True) for n in weak]
        for display, is_weak in spellings:
            tokens = tokens_of(display)
            if not tokens or not all(t.isalpha() for t in tokens):
                raise MedicineListError(f"{where}: {display!r} must be made of letters")
            if tokens in exact:
                other = exact[tokens].medicine.generic
                raise MedicineListError(
                    f"{where}: {display!r} is listed twice (also under {other})"
                )
            letters = sum(map(len, tokens))
            name = _Name(display, tokens, " ".join(tokens), letters, is_weak, medicine, len(names))
            exact[tokens] = name
            names.append(name)

    not_typos = data.get("not_typos", [])
    if not isinstance(not_typos, list) or not all(isinstance(w, str) for w in not_typos):
        raise MedicineListError(f"{source}: 'not_typos' must be a list of words")
    return MedicineList(
        medicines=tuple(medicines),
        not_typos=frozenset(t for word in not_typos for t in tokens_of(word)),
        _names=tuple(names),
        _exact=exact,
        _max_tokens=max((len(n.tokens) for n in names), default=1),
    )


def _checked_classes(value: object, where: str) -> tuple[DrugClass, ...]:
    """`class` is one kind ("nsaid") or a list of kinds (["antiplatelet", "paracetamol"])."""
    values = [value] if isinstance(value, str) else value
    message = f"{where}: 'class' must be one of {', '.join(CLASS_LABELS)}, or a list of them"
    if not isinstance(values, list) or not values:
        raise MedicineListError(f"{message}, not {value!r}")
    for item in values:
        if item not in CLASS_LABELS:
            raise MedicineListError(f"{message}, not {item!r}")
    if len(set(values)) != len(values):
        raise MedicineListError(f"{where}: 'class' names a kind twice")
    return tuple(values)


# One candidate: (weak?, typo?, first word, -number of words, order in the list), then the name.
_Candidate = tuple[tuple[bool, bool, int, int, int], _Name]


def _candidates(text: str, medicines: MedicineList) -> list[_Candidate]:
    words = tokens_of(text[:MAX_INPUT_CHARS])
    found: list[_Candidate] = []
    for start in range(len(words)):
        for size in range(1, min(medicines._max_tokens, len(words) - start) + 1):
            window = words[start : start + size]
            name = medicines._exact.get(window)
            if name is not None:
                found.append(((name.weak, False, start, -size, name.index), name))
                continue
            if medicines.not_typos.intersection(window) or not all(w.isalpha() for w in window):
                continue
            joined = " ".join(window)
            near = [
                name
                for name in medicines._names
                if len(name.tokens) == size and within_one_typo(joined, name.joined)
            ]
            long_enough = [name for name in near if name.letters >= TYPO_MIN_LETTERS]
            # A typo one step from two different medicines ("Eotrin": Ecotrin or Motrin?) is
            # not a guess worth making, even when the other name is too short to forgive typos.
            if long_enough and len({name.medicine.generic for name in near}) == 1:
                name = long_enough[0]
                found.append(((name.weak, True, start, -size, name.index), name))
    found.sort(key=lambda candidate: candidate[0])
    return found


def _recognised(candidate: _Candidate) -> Recognised:
    (_, typo, *_), name = candidate
    return Recognised(name.display, name.medicine.generic, name.medicine.classes, exact=not typo)


def recognise(name: str, medicines: MedicineList) -> Recognised | None:
    """The medicine named in `name`, or None when none on the list is found.

    A specific name beats a weak one ("Bayer"), an exact name beats a typo, then the earliest and
    longest name in the text wins ("insulin glargine" over "insulin").
    """
    if not isinstance(name, str):
        raise TypeError(f"expected text, got {type(name).__name__}")
    found = _candidates(name, medicines)
    return _recognised(found[0]) if found else None


def recognise_all(text: str, medicines: MedicineList) -> tuple[Recognised, ...]:
    """Every listed medicine in `text` ("warfarin and aspirin"), in the order written, each once.

    Weak names count only when nothing else is found.
    """
    if not isinstance(text, str):
        raise TypeError(f"expected text, got {type(text).__name__}")
    found = _candidates(text, medicines)
    if any(not key[0] for key, _ in found):
        found = [c for c in found if not c[0][0]]
    # Best first, as in `recognise`, so its answer is always among these. Words already used by
    # a better name are left out, and each medicine is given once, by its best mention. Then
    # back into the order they were written.
    used: set[int] = set()
    seen: set[Medicine] = set()
    chosen: list[_Candidate] = []
    for key, name in found:
        span = set(range(key[2], key[2] - key[3]))
        if span & used:
            continue
        used |= span
        if name.medicine not in seen:
            seen.add(name.medicine)
            chosen.append((key, name))
    chosen.sort(key=lambda c: c[0][2])
    return tuple(_recognised(candidate) for candidate in chosen)
