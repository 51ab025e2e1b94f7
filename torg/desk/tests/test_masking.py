"""Identity numbers in free text are masked; numbers that only look like them are left alone."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from torg.core.validators import ORGANIZATION_NUMBER_WEIGHTS, organization_number_is_valid
from torg.desk.masking import MaskResult, contains_identity_number, is_identity_number, mask_identity_numbers

K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
ELEVEN_DIGIT_RUN = re.compile(r"(?<![0-9])[0-9]{11}(?![0-9])")


def check_digit(digits: str, weights: tuple[int, ...]) -> int | None:
    # Skatteetaten's formula as written, independent of the module's: 11 means 0, 10 means no number.
    k = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return None if k == 10 else k % 11


def with_check_digits(nine: str) -> str | None:
    k1 = check_digit(nine, K1_WEIGHTS)
    k2 = None if k1 is None else check_digit(f"{nine}{k1}", K2_WEIGHTS)
    return None if k2 is None else f"{nine}{k1}{k2}"


def individual_ranges(year: int) -> list[tuple[int, int]]:
    if year < 1900:
        return [(500, 749)]
    if year < 1940:
        return [(0, 499)]
    if year < 2000:
        return [(0, 499), (900, 999)]
    return [(500, 999)]


@st.composite
def identity_numbers(
    draw: st.DrawFn, day_offsets: tuple[int, ...] = (0, 40), month_offsets: tuple[int, ...] = (0,)
) -> str:
    """Valid fødselsnumre (day + 0) and D-numbers (day + 40) born 1854–2039."""
    born = draw(st.dates(date(1854, 1, 1), date(2039, 12, 31)))
    low, high = draw(st.sampled_from(individual_ranges(born.year)))
    day = born.day + draw(st.sampled_from(day_offsets))
    month = born.month + draw(st.sampled_from(month_offsets))
    nine = f"{day:02}{month:02}{born.year % 100:02}{draw(st.integers(low, high)):03}"
    number = with_check_digits(nine)
    assume(number is not None)
    return number


@st.composite
def organization_numbers(draw: st.DrawFn) -> str:
    eight = draw(st.from_regex(r"[89][0-9]{7}", fullmatch=True))
    remainder = sum(int(d) * w for d, w in zip(eight, ORGANIZATION_NUMBER_WEIGHTS, strict=True)) % 11
    assume(remainder != 1)  # the check digit would be 10: Brønnøysund never issues such a number
    return f"{eight}{(11 - remainder) % 11}"


def _nine(day: int, month: int, yy: int, individual: int) -> str:
    return f"{day:02}{month:02}{yy:02}{individual:03}"


# Each has correct check digits (added below) and a date part no register or test system issues.
impossible_dates = (
    st.one_of(
        st.builds(
            _nine,
            st.sampled_from([0, 40, *range(32, 40), *range(72, 100)]),
            st.integers(1, 12),
            st.integers(0, 99),
            st.integers(0, 499),
        ),
        st.builds(
            _nine,
            st.integers(1, 28),
            st.sampled_from([0, *range(13, 41), *range(53, 81), *range(93, 100)]),
            st.integers(0, 99),
            st.integers(0, 499),
        ),
        st.builds(
            _nine, st.just(31), st.sampled_from([2, 4, 6, 9, 11]), st.integers(0, 99), st.integers(0, 499)
        ),
        st.builds(_nine, st.just(30), st.just(2), st.integers(0, 99), st.integers(0, 499)),
        # 29 February in a year that is no leap year; 1900 was none, 2000 was one.
        st.builds(
            _nine, st.just(29), st.just(2), st.sampled_from([1, 2, 3, 5, 6, 7, 99]), st.integers(0, 999)
        ),
        st.builds(_nine, st.just(29), st.just(2), st.just(0), st.integers(0, 499)),
        # Individual numbers that give no century: never issued.
        st.builds(_nine, st.integers(1, 28), st.integers(1, 12), st.integers(40, 99), st.integers(750, 899)),
        st.builds(_nine, st.integers(1, 28), st.integers(1, 12), st.integers(40, 53), st.integers(500, 749)),
    )
    .map(with_check_digits)
    .filter(lambda number: number is not None)
)

# Anything but a digit may touch a number: letters, punctuation, whitespace, newlines, emoji.
no_digits = st.text(st.characters(exclude_categories=("Nd",)), max_size=20)
separators = st.text(st.characters(exclude_categories=("Nd",)), min_size=1, max_size=5)


def written(number: str, spaced: bool) -> str:
    return f"{number[:6]} {number[6:]}" if spaced else number


def masked(number: str, spaced: bool) -> str:
    return f"{number[:6]} *****" if spaced else f"{number[:6]}*****"


def assert_no_identity_number_left(text: str) -> None:
    assert not contains_identity_number(text)
    assert not any(is_identity_number(run) for run in ELEVEN_DIGIT_RUN.findall(text))


def assert_untouched(text: str) -> None:
    assert mask_identity_numbers(text) == MaskResult(text=text, count=0)
    assert not contains_identity_number(text)


@settings(max_examples=300)
@given(number=identity_numbers())
def test_generated_fodselsnummer_and_d_number_is_identity_number(number: str) -> None:
    assert is_identity_number(number)


@settings(max_examples=300)
@given(number=identity_numbers(), spaced=st.booleans(), before=no_digits, after=no_digits)
def test_identity_number_is_masked_wherever_it_stands(
    number: str, spaced: bool, before: str, after: str
) -> None:
    result = mask_identity_numbers(f"{before}{written(number, spaced)}{after}")

    assert result == MaskResult(text=f"{before}{masked(number, spaced)}{after}", count=1)
    assert_no_identity_number_left(result.text)


@settings(max_examples=100)
@given(parts=st.lists(st.tuples(separators, identity_numbers(), st.booleans()), min_size=1, max_size=6))
def test_every_number_in_a_text_is_masked(parts: list[tuple[str, str, bool]]) -> None:
    text = "".join(f"{sep}{written(number, spaced)}" for sep, number, spaced in parts)

    result = mask_identity_numbers(text)

    assert result.count == len(parts)
    assert result.text == "".join(f"{sep}{masked(number, spaced)}" for sep, number, spaced in parts)
    assert_no_identity_number_left(result.text)


@settings(max_examples=100)
@given(number=identity_numbers(month_offsets=(40, 80)), spaced=st.booleans())
def test_h_numbers_and_synthetic_test_numbers_are_masked_but_not_issued_by_the_register(
    number: str, spaced: bool
) -> None:
    result = mask_identity_numbers(f"Testperson {written(number, spaced)}.")

    assert result == MaskResult(text=f"Testperson {masked(number, spaced)}.", count=1)
    assert contains_identity_number(number)
    assert not is_identity_number(number)


@settings(max_examples=200)
@given(
    number=identity_numbers(month_offsets=(0, 40, 80)),
    position=st.integers(0, 10),
    digit=st.sampled_from("0123456789"),
    spaced=st.booleans(),
)
def test_one_wrong_digit_is_left_alone(number: str, position: int, digit: str, spaced: bool) -> None:
    # Every weight of both checks is non-zero modulo the prime 11, so no single typo passes both.
    assume(number[position] != digit)
    typo = f"{number[:position]}{digit}{number[position + 1 :]}"

    assert not is_identity_number(typo)
    assert_untouched(f"fnr: {written(typo, spaced)}\n")


@settings(max_examples=100)
@given(number=identity_numbers(month_offsets=(0, 40, 80)), k1=st.sampled_from("0123456789"))
def test_wrong_first_check_digit_is_left_alone_when_the_second_fits_it(number: str, k1: str) -> None:
    # Passing only the second check is what every bank account number does: same weights.
    assume(number[9] != k1)
    k2 = check_digit(f"{number[:9]}{k1}", K2_WEIGHTS)
    assume(k2 is not None)
    lookalike = f"{number[:9]}{k1}{k2}"

    assert not is_identity_number(lookalike)
    assert_untouched(f"Konto {lookalike}")


@settings(max_examples=100)
@given(phone=st.from_regex(r"[2-9][0-9]{7}", fullmatch=True))
def test_phone_numbers_are_left_alone(phone: str) -> None:
    assert_untouched(f"Ring {phone}, +47 {phone} eller {phone[:3]} {phone[3:5]} {phone[5:]}.")


@settings(max_examples=100)
@given(organization=organization_numbers())
def test_organization_numbers_are_left_alone(organization: str) -> None:
    assert organization_number_is_valid(organization)
    assert_untouched(f"Org.nr. {organization} (NO {organization} MVA)")


@settings(max_examples=100)
@given(
    number=identity_numbers(), extra=st.sampled_from("0123456789"), spaced=st.booleans(), before=st.booleans()
)
def test_identity_number_inside_a_longer_run_of_digits_is_left_alone(
    number: str, extra: str, spaced: bool, before: bool
) -> None:
    text = f"{extra}{written(number, spaced)}" if before else f"{written(number, spaced)}{extra}"

    assert_untouched(f"KID {text}")
    assert_untouched(f"{number}{number}")


@settings(max_examples=200)
@given(number=impossible_dates, spaced=st.booleans())
def test_impossible_date_with_correct_check_digits_is_left_alone(number: str, spaced: bool) -> None:
    assert not is_identity_number(number)
    assert_untouched(f"Nummer {written(number, spaced)} i saken")


@settings(max_examples=200)
@given(text=st.text(st.sampled_from("0123456789 \n-.*ab")) | st.text())
def test_any_text_is_masked_without_error_and_masking_twice_changes_nothing(text: str) -> None:
    once = mask_identity_numbers(text)
    twice = mask_identity_numbers(once.text)

    assert twice == MaskResult(text=once.text, count=0)
    assert contains_identity_number(text) == (once.count > 0)


@settings(max_examples=100)
@given(
    parts=st.lists(
        st.tuples(separators, identity_numbers(month_offsets=(0, 40, 80)), st.booleans()), max_size=4
    )
)
def test_masking_a_masked_text_again_changes_nothing(parts: list[tuple[str, str, bool]]) -> None:
    once = mask_identity_numbers("".join(f"{sep}{written(number, spaced)}" for sep, number, spaced in parts))

    assert mask_identity_numbers(once.text) == MaskResult(text=once.text, count=0)


# Skatteetaten's own worked example, a person born 2 January 2032 with individual number 999:
#   k1 = 11 − ((0·3 + 2·7 + 0·6 + 1·1 + 3·8 + 2·9 + 9·4 + 9·5 + 9·2) mod 11)
#      = 11 − (156 mod 11) = 11 − 2 = 9
#   k2 = 11 − ((0·5 + 2·4 + 0·3 + 1·2 + 3·7 + 2·6 + 9·5 + 9·4 + 9·3 + 9·2) mod 11)
#      = 11 − (169 mod 11) = 11 − 4 = 7
@pytest.mark.parametrize(
    "number",
    [
        "02013299997",  # 02.01.2032, individual 999 (500–999, YY ≤ 39)
        "30108299920",  # 30.10.1982, individual 999 (900–999, YY ≥ 40)
        "01020351213",  # 01.02.2003, individual 512
        "01020300082",  # 01.02.1903, individual 000
        "01025550079",  # 01.02.1855, individual 500 (500–749, YY ≥ 54)
        "29020050088",  # 29.02.2000, a leap day
        "41020351207",  # D-number: day 41 is the 1st
    ],
)
def test_known_identity_numbers_are_masked(number: str) -> None:
    assert is_identity_number(number)
    assert mask_identity_numbers(f"Fnr {number}, ring meg") == MaskResult(
        f"Fnr {number[:6]}*****, ring meg", 1
    )
    spaced = f"{number[:6]} {number[6:]}"
    assert mask_identity_numbers(f"({spaced})") == MaskResult(f"({number[:6]} *****)", 1)


@pytest.mark.parametrize(
    "number",
    [
        "01420350089",  # month 42: H-number, or a synthetic person in NAV's test data
        "01820350061",  # month 82: a synthetic person in Skatteetaten's test environment (Tenor)
        "15031234511",  # also a valid bank account number (1503.12.34511): masked by choice
    ],
)
def test_numbers_the_register_does_not_issue_are_masked_when_they_pass_every_check(number: str) -> None:
    assert mask_identity_numbers(f"a-{number}-b") == MaskResult(f"a-{number[:6]}*****-b", 1)


@pytest.mark.parametrize(
    "text",
    [
        "29020000064",  # 29.02.1900: individual 000 means 1900, which was no leap year
        "01024580039",  # individual 800 with YY 45 gives no century
        "01024560003",  # individual 600 with YY 45 gives no century
        "01020351214",  # 01020351213 with the second check digit wrong
        "Født 01.02.2003, tlf. 22 33 44 55",
        "01022003 og 2003-02-01 kl. 12:45",
        "Konto 1503.12.34511",  # a bank account written with dots is no candidate
        "010203-51213",  # only one space may separate the date from the personal number
        "010203  51213",
        "101020351213",
        "010203512130",
        "",
    ],
)
def test_look_alikes_are_left_alone(text: str) -> None:
    assert_untouched(text)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "0102035121",
        "010203512130",
        "010203 51213",
        " 01020351213",
        "01020351213\n",
        "٠١٠٢٠٣٥١٢١٣",
        "01420350089",
    ],
)
def test_is_identity_number_takes_exactly_eleven_ascii_digits_of_an_issued_number(value: str) -> None:
    assert not is_identity_number(value)


def test_letters_may_touch_a_number() -> None:
    assert mask_identity_numbers("fnr01020351213kr") == MaskResult("fnr010203*****kr", 1)
