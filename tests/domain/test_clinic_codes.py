"""The clinic's CPT codes: only what the clinic entered, checked, and read back leniently."""

import pytest

from app.domain.clinic import (
    ClinicInputError,
    ClinicSettings,
    clinic_from_dict,
    clinic_to_dict,
    validate_clinic,
)


def test_no_code_until_the_clinic_enters_one():
    clinic = ClinicSettings()
    assert clinic.procedure_code("test-block", "lumbar") == ""
    assert clinic.procedure_code("rfa", "cervical") == ""


def test_a_block_code_serves_both_blocks_of_its_region_and_is_kept():
    clinic = validate_clinic(
        {"procedure_codes": {"block-lumbar": " 64493 ", "rfa-cervical": "0213t"}}
    )
    assert clinic.procedure_code("test-block", "lumbar") == "64493"
    assert clinic.procedure_code("confirm-block", "lumbar") == "64493"
    assert clinic.procedure_code("test-block", "cervical") == ""
    assert clinic.procedure_code("rfa", "cervical") == "0213T"
    assert clinic_from_dict(clinic_to_dict(clinic)) == clinic


@pytest.mark.parametrize(
    "codes, key, words",
    [
        ({"block-lumbar": "6449"}, "procedure_codes.block-lumbar", "is not a procedure code"),
        ({"block-lumbar": "64493-50"}, "procedure_codes.block-lumbar", "is not a procedure code"),
        ({"knee-lumbar": "64493"}, "procedure_codes.knee-lumbar", "is not a procedure the app"),
        ("64493", "procedure_codes", "by kind and region"),
    ],
)
def test_a_bad_code_is_named_at_its_field(codes, key, words):
    with pytest.raises(ClinicInputError) as caught:
        validate_clinic({"procedure_codes": codes})
    assert words in caught.value.errors[key]


def test_a_damaged_stored_code_reads_as_none():
    clinic = clinic_from_dict({"name": "Riverside", "procedure_codes": {"rfa-lumbar": "x"}})
    assert clinic.name == "Riverside" and clinic.procedure_code("rfa", "lumbar") == ""
