"""Numbers and counts as people read them, the same in every view and file."""
from exercises.wording import number, plural, points


def test_numbers_drop_needless_decimals_and_round_the_rest():
    assert [number(2.0), number(2.5), number(1 / 3), number(0.125, places=4), number(-0.5)] == ["2", "2.5", "0.33", "0.125", "-0.5"]
    assert number(1234567.0) == "1234567"  # never "1.23457e+06"


def test_counts_agree_with_their_noun():
    assert [points(1), points(0), points(2.5), plural(1234, "word"), plural(1, "criterion and")] == \
        ["1 point", "0 points", "2.5 points", "1,234 words", "1 criterion and"]
