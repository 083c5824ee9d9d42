import pytest

from app.domain.grammar import with_article


@pytest.mark.parametrize(
    "words, expected",
    [
        ("anti-inflammatory", "an anti-inflammatory"),
        ("antiplatelet", "an antiplatelet"),
        ("blood thinner", "a blood thinner"),
        ("NSAID", "an NSAID"),
        ("RFA", "an RFA"),
        ("GLP-1 medicine", "a GLP-1 medicine"),
        ("usual dose", "a usual dose"),
        ("hour", "an hour"),
        ("SSRI", "an SSRI"),
        ("diabetes medicine", "a diabetes medicine"),
        ("opioid", "an opioid"),
        ("one-off", "a one-off"),
    ],
)
def test_a_or_an_goes_by_the_sound_that_starts_the_words(words, expected):
    assert with_article(words) == expected
