from decimal import Decimal

import pytest

from sync_pipeline.stock.quantity import QuantityError, from_units, to_units, units_array


def test_trailing_zeros_do_not_change_the_quantity():
    assert to_units(Decimal("1.001")) == to_units(Decimal("1.0010")) == to_units("1.00100")


def test_a_thousandth_apart_is_a_different_quantity():
    assert to_units(Decimal("1.001")) != to_units(Decimal("1.002"))


def test_the_sixth_decimal_still_counts():
    assert to_units(Decimal("2.000001")) - to_units(Decimal("2")) == 1


@pytest.mark.parametrize(
    "value",
    [
        "0",
        "1",
        "-3.25",
        "12345678.123456",
        "0.000001",
        "100",
        "1E+2",
        "-0.5",
        "9223372036854.775807",
    ],
)
def test_round_trip_gives_the_same_value_in_plain_notation(value):
    back = from_units(to_units(Decimal(value)))
    assert back == Decimal(value)
    assert "E" not in str(back)  # the ERP rejects scientific notation


def test_whole_numbers_come_back_without_decimals():
    assert str(from_units(to_units(Decimal("5.000")))) == "5"
    assert str(from_units(to_units(Decimal("-1.50")))) == "-1.5"


@pytest.mark.parametrize(
    "value, reason",
    [
        (Decimal("1.0000001"), "decimal places"),
        (Decimal("NaN"), "finite"),
        (Decimal("Infinity"), "finite"),
        (0.1, "float"),
        ("abc", "not a number"),
        (None, "not a quantity"),
        (Decimal("1E+20"), "out of range"),
    ],
)
def test_quantities_that_cannot_be_exact_are_refused_not_rounded(value, reason):
    with pytest.raises(QuantityError, match=reason):
        to_units(value)


def test_units_array_reports_bad_values_per_position_and_keeps_the_rest():
    not_set = Decimal("-79228162514264337593543950335")
    units, errors = units_array(
        [Decimal("1.5"), None, Decimal("0.0000001"), 7, not_set], not_set=not_set
    )
    assert units.tolist()[0] == 1_500_000
    assert units.tolist()[3] == 7_000_000
    assert units.isna().tolist() == [False, True, True, False, True]
    assert list(errors) == [2]
