import mpmath
import pytest

from discovery.errors import UserError
from discovery.validate import agreeing_digits, decimal_digits, validate, validate_expr
from search.base import Candidate


def test_agreeing_digits_over_a_range_of_perturbations():
    for k in range(5, 80, 5):
        with mpmath.workdps(100):
            a = mpmath.pi
            b = a * (1 + mpmath.mpf(10) ** (-k))
        got = agreeing_digits(a, b, 90)
        assert k - 1 <= got <= k + 1


def test_identity_validated_and_precision_restored():
    prec = mpmath.mp.prec
    v = validate_expr("(pi**2 - 4*log2)/5", "(-4*log(2) + pi**2)/5", 80)
    assert v.validated and v.digits >= 80
    assert mpmath.mp.prec == prec


def test_false_identity_is_rejected_with_its_digits():
    # pi vs its classic rational approximation 355/113: agrees to ~7 digits only
    v = validate_expr("pi", "355/113", 50)
    assert not v.validated
    assert 6 <= v.digits <= 8


def test_decimal_input_limits_digits():
    assert decimal_digits("3.14159") == 6
    assert decimal_digits("-0.00123e5") == 3
    assert decimal_digits("pi") is None
    v = validate_expr("3.14159265358979323846264338327950288419716939937510", "pi", 60)
    assert v.validated and "only 51 digits" in v.note


def test_validate_dispatch_and_bad_digits():
    c = Candidate(engine="identify", target="x", kind="identity", lhs="8*catalan/pi", rhs="8*Catalan/pi",
                  check={"type": "expr"})
    assert validate(c, 40).validated
    unchecked = Candidate(engine="identify", target="x", kind="identity", lhs="1", rhs="1")
    assert not validate(unchecked, 40).validated
    with pytest.raises(UserError):
        validate(c, -3)
