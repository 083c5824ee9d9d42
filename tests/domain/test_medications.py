"""Recognising blood thinners, antiplatelets, diabetes and GLP-1 medicines and pain medicines from
typed names."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import medications
from app.domain.medications import (
    CLASS_LABELS,
    MedicineListError,
    parse_medicines,
    tokens_of,
    within_one_typo,
)
from app.package_files import data_file
from app.services.resources import medicines as shipped_medicines

MEDICINES = shipped_medicines()


def recognise(text, medicines=MEDICINES):
    """`medications.recognise` with the list the app ships, unless another is given."""
    return medications.recognise(text, medicines)


def recognise_all(text, medicines=MEDICINES):
    """`medications.recognise_all` with the list the app ships, unless another is given."""
    return medications.recognise_all(text, medicines)


@pytest.mark.parametrize(
    ("typed", "generic", "classes"),
    [
        # Anticoagulants, by generic and brand.
        ("warfarin", "warfarin", ("anticoagulant",)),
        ("Coumadin", "warfarin", ("anticoagulant",)),
        ("Jantoven", "warfarin", ("anticoagulant",)),
        ("apixaban", "apixaban", ("anticoagulant",)),
        ("Eliquis", "apixaban", ("anticoagulant",)),
        ("Xarelto", "rivaroxaban", ("anticoagulant",)),
        ("rivaroxaban", "rivaroxaban", ("anticoagulant",)),
        ("Pradaxa", "dabigatran", ("anticoagulant",)),
        ("dabigatran etexilate", "dabigatran", ("anticoagulant",)),
        ("Savaysa", "edoxaban", ("anticoagulant",)),
        ("Lixiana", "edoxaban", ("anticoagulant",)),
        ("Lovenox", "enoxaparin", ("anticoagulant",)),
        ("Clexane 40 mg injection", "enoxaparin", ("anticoagulant",)),
        ("heparin", "heparin", ("anticoagulant",)),
        ("Fragmin", "dalteparin", ("anticoagulant",)),
        ("Arixtra", "fondaparinux", ("anticoagulant",)),
        # Antiplatelets.
        ("Plavix", "clopidogrel", ("antiplatelet",)),
        ("clopidogrel", "clopidogrel", ("antiplatelet",)),
        ("Effient", "prasugrel", ("antiplatelet",)),
        ("Brilinta", "ticagrelor", ("antiplatelet",)),
        ("aspirin", "aspirin", ("antiplatelet",)),
        ("Bayer", "aspirin", ("antiplatelet",)),
        ("Ecotrin", "aspirin", ("antiplatelet",)),
        ("ASA 81", "aspirin", ("antiplatelet",)),
        ("Persantine", "dipyridamole", ("antiplatelet",)),
        ("Aggrenox", "aspirin and dipyridamole", ("antiplatelet",)),
        ("Pletal", "cilostazol", ("antiplatelet",)),
        # Diabetes medicines.
        ("insulin", "insulin", ("diabetes",)),
        ("Lantus", "insulin glargine", ("diabetes",)),
        ("Humalog", "insulin lispro", ("diabetes",)),
        ("Novolog", "insulin aspart", ("diabetes",)),
        ("Levemir", "insulin detemir", ("diabetes",)),
        ("Tresiba", "insulin degludec", ("diabetes",)),
        ("Toujeo", "insulin glargine", ("diabetes",)),
        ("metformin", "metformin", ("diabetes",)),
        ("Glucophage", "metformin", ("diabetes",)),
        ("glipizide", "glipizide", ("diabetes",)),
        ("glimepiride", "glimepiride", ("diabetes",)),
        ("gliclazide", "gliclazide", ("diabetes",)),
        ("Januvia", "sitagliptin", ("diabetes",)),
        ("Jardiance", "empagliflozin", ("diabetes",)),
        ("Farxiga", "dapagliflozin", ("diabetes",)),
        ("Forxiga", "dapagliflozin", ("diabetes",)),
        ("canagliflozin", "canagliflozin", ("diabetes",)),
        ("Ozempic", "semaglutide", ("glp1", "diabetes")),
        ("Rybelsus", "semaglutide", ("glp1", "diabetes")),
        ("Wegovy", "semaglutide", ("glp1",)),
        ("Trulicity", "dulaglutide", ("glp1", "diabetes")),
        ("Victoza", "liraglutide", ("glp1", "diabetes")),
        ("Mounjaro", "tirzepatide", ("glp1", "diabetes")),
        # GLP-1 medicines: a weight-loss brand or a generic alone is never called a diabetes
        # medicine; a diabetes brand is both.
        ("semaglutide", "semaglutide", ("glp1",)),
        ("tirzepatide", "tirzepatide", ("glp1",)),
        ("liraglutide", "liraglutide", ("glp1",)),
        ("Zepbound", "tirzepatide", ("glp1",)),
        ("Saxenda", "liraglutide", ("glp1",)),
        ("dulaglutide", "dulaglutide", ("glp1", "diabetes")),
        ("exenatide", "exenatide", ("glp1", "diabetes")),
        ("Byetta", "exenatide", ("glp1", "diabetes")),
        ("Bydureon BCise", "exenatide", ("glp1", "diabetes")),
        # Combination diabetes products, two of them with a GLP-1 medicine inside.
        ("Janumet XR", "sitagliptin and metformin", ("diabetes",)),
        ("Synjardy", "empagliflozin and metformin", ("diabetes",)),
        ("Xigduo XR", "dapagliflozin and metformin", ("diabetes",)),
        ("Glyxambi", "empagliflozin and linagliptin", ("diabetes",)),
        ("Invokamet", "canagliflozin and metformin", ("diabetes",)),
        ("Jentadueto", "linagliptin and metformin", ("diabetes",)),
        ("Soliqua 100/33", "insulin glargine and lixisenatide", ("diabetes", "glp1")),
        ("Xultophy", "insulin degludec and liraglutide", ("diabetes", "glp1")),
        # Aspirin inside products bought without a prescription.
        ("Excedrin Migraine", "aspirin, paracetamol and caffeine", ("antiplatelet", "paracetamol")),
        ("Goody's powder", "aspirin, paracetamol and caffeine", ("antiplatelet", "paracetamol")),
        ("Alka-Seltzer", "aspirin, sodium bicarbonate and citric acid", ("antiplatelet",)),
        ("Anacin", "aspirin and caffeine", ("antiplatelet",)),
        ("BC powder", "aspirin and caffeine", ("antiplatelet",)),
        # The same brands' versions without aspirin.
        ("Excedrin PM", "paracetamol", ("paracetamol",)),
        ("Anacin Aspirin Free", "paracetamol", ("paracetamol",)),
        # Paracetamol (acetaminophen).
        ("paracetamol", "paracetamol", ("paracetamol",)),
        ("acetaminophen 500 mg", "paracetamol", ("paracetamol",)),
        ("Tylenol", "paracetamol", ("paracetamol",)),
        ("Panadol", "paracetamol", ("paracetamol",)),
        # Opioids, alone and with paracetamol.
        ("tramadol", "tramadol", ("opioid",)),
        ("OxyContin", "oxycodone", ("opioid",)),
        ("morphine", "morphine", ("opioid",)),
        ("fentanyl patch", "fentanyl", ("opioid",)),
        ("Butrans", "buprenorphine", ("opioid",)),
        ("Percocet", "oxycodone and paracetamol", ("opioid", "paracetamol")),
        ("Norco", "hydrocodone and paracetamol", ("opioid", "paracetamol")),
        ("Tylenol with codeine", "codeine and paracetamol", ("opioid", "paracetamol")),
        ("co-codamol", "codeine and paracetamol", ("opioid", "paracetamol")),
        # Nerve pain medicines (gabapentinoids).
        ("gabapentin", "gabapentin", ("gabapentinoid",)),
        ("Neurontin", "gabapentin", ("gabapentinoid",)),
        ("pregabalin", "pregabalin", ("gabapentinoid",)),
        ("Lyrica", "pregabalin", ("gabapentinoid",)),
        # NSAIDs.
        ("ibuprofen", "ibuprofen", ("nsaid",)),
        ("Advil", "ibuprofen", ("nsaid",)),
        ("naproxen", "naproxen", ("nsaid",)),
        ("Aleve", "naproxen", ("nsaid",)),
        ("diclofenac", "diclofenac", ("nsaid",)),
        ("Voltaren gel", "diclofenac", ("nsaid",)),
        ("meloxicam", "meloxicam", ("nsaid",)),
        ("celecoxib", "celecoxib", ("nsaid",)),
        ("Celebrex", "celecoxib", ("nsaid",)),
    ],
)
def test_brand_and_generic_names(typed, generic, classes):
    found = recognise(typed)
    assert found is not None, typed
    assert (found.generic, found.classes) == (generic, classes)
    assert found.exact


@pytest.mark.parametrize(
    ("typed", "matched", "generic"),
    [
        ("Eliquis 5 mg tablets", "Eliquis", "apixaban"),
        ("warfarin sodium", "warfarin", "warfarin"),
        ("warfarin sodium 2.5mg once daily", "warfarin", "warfarin"),
        ("baby aspirin 81mg", "baby aspirin", "aspirin"),
        ("Low-dose aspirin, 75 mg", "low dose aspirin", "aspirin"),
        ("Xarelto20mg", "Xarelto", "rivaroxaban"),
        ("metformin ER 500 mg x2", "metformin", "metformin"),
        ("Ozempic 0.5mg pen (weekly)", "Ozempic", "semaglutide"),
        ("insulin glargine 20 units at night", "insulin glargine", "insulin glargine"),
        ("Lantus SoloStar", "Lantus", "insulin glargine"),
        ("ibuprofen 400mg PRN", "ibuprofen", "ibuprofen"),
        ("Plavix 75", "Plavix", "clopidogrel"),
        ("acetylsalicylic acid", "acetylsalicylic acid", "aspirin"),
        ("  clopidogrel\t", "clopidogrel", "clopidogrel"),
    ],
)
def test_doses_forms_and_extra_words_are_ignored(typed, matched, generic):
    found = recognise(typed)
    assert found is not None
    assert (found.matched_name, found.generic) == (matched, generic)


@pytest.mark.parametrize("typed", ["ELIQUIS", "eliquis", "eLiQuIs", "Éliquis"])
def test_case_and_accents_do_not_matter(typed):
    assert recognise(typed).generic == "apixaban"


@pytest.mark.parametrize(
    ("typed", "generic"),
    [
        ("clopidogrl", "clopidogrel"),  # a missing letter
        ("clopidogrell", "clopidogrel"),  # an extra letter
        ("warfarine", "warfarin"),
        ("warfrin", "warfarin"),
        ("Xarleto", "rivaroxaban"),  # two letters swapped
        ("Eliqius", "apixaban"),
        ("Elliquis", "apixaban"),
        ("metfromin", "metformin"),
        ("Jardiense", None),  # two typos is too many
        ("apixaben", "apixaban"),  # a wrong letter
        ("ibuprofin", "ibuprofen"),
        ("asprin", "aspirin"),
        ("baby asprin", "aspirin"),
        ("Wegovvy", "semaglutide"),
        ("Ozempik", "semaglutide"),
        ("Excedrn", "aspirin, paracetamol and caffeine"),
        ("gabapentine", "gabapentin"),
        ("pregablin", "pregabalin"),
        ("Tylenl", "paracetamol"),
        ("oxycodon", "oxycodone"),
    ],
)
def test_one_typo_in_a_long_name_is_forgiven(typed, generic):
    found = recognise(typed)
    if generic is None:
        assert found is None
    else:
        assert found is not None and found.generic == generic
        assert not found.exact


@pytest.mark.parametrize("typed", ["Advel", "Alev", "Mobik", "AAS", "Actoz"])
def test_short_names_must_be_exact(typed):
    assert recognise(typed) is None


COMMON_OTHER_MEDICINES = """
omeprazole; Prilosec; esomeprazole; Nexium;
pantoprazole; lansoprazole; amlodipine; Norvasc; atorvastatin; Lipitor; simvastatin; Zocor;
rosuvastatin; Crestor; pravastatin; naloxone; Narcan; naltrexone;
vitamin D; vitamin D3 1000 IU; vitamin B12; calcium;
magnesium; iron; fish oil; omega 3; glucosamine; turmeric; melatonin; multivitamin; inulin fibre;
povidone iodine; lisinopril; Zestril; losartan; Cozaar; valsartan; irbesartan; candesartan;
ramipril; enalapril; metoprolol; Toprol XL; Lopressor; atenolol; bisoprolol; carvedilol; Coreg;
propranolol; diltiazem; Cardizem; verapamil; nifedipine; hydrochlorothiazide; furosemide; Lasix;
spironolactone; bumetanide; chlorthalidone; indapamide; levothyroxine; Synthroid; prednisone;
prednisolone; methylprednisolone; dexamethasone; sertraline; Zoloft; citalopram; Celexa;
escitalopram; Lexapro; fluoxetine; Prozac; paroxetine; Paxil; venlafaxine; Effexor; duloxetine;
Cymbalta; amitriptyline; Elavil; nortriptyline; trazodone; mirtazapine; bupropion; Wellbutrin;
zolpidem; Ambien; lorazepam; diazepam; Valium; alprazolam; Xanax; clonazepam; cyclobenzaprine;
Flexeril; methocarbamol; Robaxin; baclofen; tizanidine; Zanaflex; carisoprodol; allopurinol;
colchicine; tamsulosin; Flomax; finasteride; donepezil; Aricept; memantine; levodopa; Sinemet;
ropinirole; pramipexole; montelukast; Singulair; salbutamol; albuterol; Ventolin; fluticasone;
Flonase; budesonide; tiotropium; Spiriva; cetirizine; Zyrtec; loratadine; Claritin;
diphenhydramine; Benadryl; famotidine; Pepcid; ranitidine; ondansetron; Zofran; metoclopramide;
loperamide; senna; docusate; lactulose; Miralax; amoxicillin; doxycycline; ciprofloxacin;
nitrofurantoin; alendronate; Fosamax; denosumab; Prolia; estradiol; testosterone; sildenafil;
tadalafil; oxybutynin; mirabegron; hydroxychloroquine; Plaquenil; methotrexate; Humira;
lithium; quetiapine; Seroquel; olanzapine; risperidone; aripiprazole; Abilify; lamotrigine;
levetiracetam; Keppra; topiramate; carbamazepine; valproate; phenytoin; digoxin; Lanoxin;
amiodarone; sotalol; isosorbide mononitrate; nitroglycerin; ezetimibe; Zetia; fenofibrate;
potassium chloride; folic acid; lidocaine patch; capsaicin cream; heparinoid cream; Hirudoid;
aspartame free; sodium bicarbonate; eye drops; nasal spray; none; no medicines; not sure
"""


@pytest.mark.parametrize(
    "typed", [m.strip() for m in COMMON_OTHER_MEDICINES.replace("\n", " ").split(";") if m.strip()]
)
def test_no_false_positives_on_common_other_medicines(typed):
    assert recognise(typed) is None, typed
    assert recognise_all(typed) == ()


@pytest.mark.parametrize(
    "typed",
    [
        "paracetamolic",
        "heparinoid",
        "Hirudoid (heparinoid) cream",
        "insulinoma",
        "warfarinlike",
        "aspiring",
        "unaspirin",
        "ASAP",
        "NASA",
    ],
)
def test_names_are_never_found_inside_other_words(typed):
    assert recognise(typed) is None


def test_several_medicines_on_one_line():
    found = recognise_all("Warfarin 5mg, baby aspirin and Ozempic; also Tylenol")
    assert [f.generic for f in found] == ["warfarin", "aspirin", "semaglutide", "paracetamol"]
    # recognise alone gives the first one written.
    assert recognise("Warfarin 5mg, baby aspirin").generic == "warfarin"


def test_a_weak_name_gives_way_to_a_specific_one():
    assert recognise("Bayer Aleve").generic == "naproxen"
    assert [f.generic for f in recognise_all("Bayer Aleve")] == ["naproxen"]
    assert recognise("Bayer low dose").generic == "aspirin"


def test_the_longest_name_at_a_place_wins():
    assert recognise("insulin glargine").generic == "insulin glargine"
    assert recognise("insulin").generic == "insulin"
    assert recognise("aspirin and dipyridamole").generic == "aspirin and dipyridamole"


def test_an_exact_name_beats_a_typo():
    assert recognise("Eliqus or warfarin").generic == "warfarin"


def test_class_labels_are_plain_words_for_every_class():
    assert CLASS_LABELS == {
        "anticoagulant": "blood thinner",
        "antiplatelet": "antiplatelet medicine (also thins the blood)",
        "diabetes": "diabetes medicine",
        "glp1": "GLP-1 medicine (it slows down the stomach)",
        "nsaid": "anti-inflammatory pain medicine",
        "opioid": "opioid pain medicine",
        "paracetamol": "paracetamol (acetaminophen) pain medicine",
        "gabapentinoid": "nerve pain medicine (gabapentin or pregabalin)",
    }
    assert recognise("Eliquis").labels == ("blood thinner",)
    assert recognise("Excedrin").labels == (
        "antiplatelet medicine (also thins the blood)",
        "paracetamol (acetaminophen) pain medicine",
    )


def test_the_same_generic_under_two_brands_is_two_medicines():
    found = recognise_all("Ozempic, later Wegovy")
    assert [(f.matched_name, f.classes) for f in found] == [
        ("Ozempic", ("glp1", "diabetes")),
        ("Wegovy", ("glp1",)),
    ]


@pytest.mark.parametrize("brand", ["Wegovy", "Zepbound", "Saxenda", "wegovy 2.4 mg weekly"])
def test_a_weight_loss_brand_is_never_a_diabetes_medicine(brand):
    found = recognise(brand)
    assert found.classes == ("glp1",)
    assert not any("diabetes" in label for label in found.labels)


def test_nothing_in_the_module_or_the_list_tells_anyone_to_stop():
    for text in (Path(medications.__file__).read_text(), data_file("medications.toml").read_text()):
        for line in text.lower().splitlines():
            if "stop" in line:
                assert "never says" in line or "not say" in line, line


def _osa_distance(a: str, b: str) -> int:
    """Optimal string alignment distance, the slow textbook way, to check the fast one."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


@given(st.text("abcd", max_size=7), st.text("abcd", max_size=7))
def test_within_one_typo_agrees_with_the_textbook_distance(a, b):
    assert within_one_typo(a, b) == (_osa_distance(a, b) <= 1)


def _one_typo_away(word: str) -> set[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return (
        {a + b[1:] for a, b in splits if b}
        | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        | {a + c + b[1:] for a, b in splits if b for c in letters}
        | {a + c + b for a, b in splits for c in letters}
    )


def test_a_listed_name_is_never_a_typo_of_another_kind_of_medicine():
    names = MEDICINES._names
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            if first.medicine.classes != second.medicine.classes:
                distance = _osa_distance(first.joined, second.joined)
                assert distance >= 2, (first.display, second.display)


def test_a_typo_as_close_to_two_medicines_is_not_guessed():
    assert recognise("Eotrin") is None  # Ecotrin (aspirin) or Motrin (ibuprofen)?
    assert recognise("Laspro") is None  # Aspro (aspirin) or lispro (insulin)?
    names = MEDICINES._names
    close_pairs = [
        (a, b)
        for i, a in enumerate(names)
        for b in names[i + 1 :]
        if a.medicine.generic != b.medicine.generic
        and len(a.tokens) == len(b.tokens) == 1
        and max(a.letters, b.letters) >= 6
        and _osa_distance(a.joined, b.joined) == 2
    ]
    assert close_pairs  # the list has some, such as Ecotrin and Motrin
    for a, b in close_pairs:
        for typo in _one_typo_away(a.joined) & _one_typo_away(b.joined):
            found = recognise(typo)
            assert found is None or found.exact, (typo, a.display, b.display, found)


def test_every_class_is_in_the_list_and_nothing_else():
    classes = {c for m in MEDICINES.medicines for c in m.classes}
    assert classes == set(CLASS_LABELS)


def test_tokens_split_letters_from_numbers():
    assert tokens_of("Eliquis5mg/Tablet") == ("eliquis", "5", "mg", "tablet")


def test_a_broken_list_names_the_file_and_the_entry():
    source = "clinic/medications.toml"
    text = '[[medicine]]\ngeneric = "warfarin"\nclass = "blood thinner"\n'
    with pytest.raises(MedicineListError, match=r"medications\.toml, medicine 1 \(warfarin\)"):
        parse_medicines(text, source)
    text = (
        '[[medicine]]\ngeneric = "warfarin"\nclass = "anticoagulant"\nnames = ["Coumadin"]\n'
        '[[medicine]]\ngeneric = "other"\nclass = "anticoagulant"\nnames = ["coumadin"]\n'
    )
    with pytest.raises(MedicineListError, match="listed twice"):
        parse_medicines(text, source)
    text = '[[medicine]]\ngeneric = "x"\nclass = ["nsaid", "nsaid"]\nnames = []\n'
    with pytest.raises(MedicineListError, match="a kind twice"):
        parse_medicines(text, source)
    text = '[[medicine]]\ngeneric = "x"\nclass = []\nnames = []\n'
    with pytest.raises(MedicineListError, match="or a list of them"):
        parse_medicines(text, source)
    with pytest.raises(MedicineListError, match=r"^clinic/medications\.toml: "):
        parse_medicines("[[medicine]\n", source)


def test_a_list_of_your_own_can_be_passed():
    mine = parse_medicines(
        '[[medicine]]\ngeneric = "bemiparin"\nclass = "anticoagulant"\nnames = ["Zibor"]\n'
    )
    assert recognise("Zibor 3500", mine).generic == "bemiparin"
    assert recognise("warfarin", mine) is None


@settings(max_examples=300)
@given(st.text())
def test_recognise_never_raises_on_any_text(text):
    found = recognise(text)
    assert found is None or set(found.classes) <= set(CLASS_LABELS)
    recognise_all(text)


WORDS = ["warfarin", "Eliquis", "Eliqus", "tablet", "81", "mg", "baby", "aspirin", "Bayer", "Aleve"]


@given(st.lists(st.sampled_from(WORDS), max_size=8))
def test_recognise_is_the_best_of_recognise_all(words):
    text = " ".join(words)
    found, every = recognise(text), recognise_all(text)
    assert (found is None) == (every == ())
    if found is not None:
        assert found in every
