"""Shared fixtures: every test leaves mpmath's global precision as it found it."""

import os

import mpmath
import pytest

# Numba's cache must be writable wherever the package lives.
os.environ.setdefault("NUMBA_CACHE_DIR", os.path.join(os.path.dirname(os.path.dirname(__file__)), ".numba_cache"))


@pytest.fixture(autouse=True)
def _restore_mpmath_precision():
    prec = mpmath.mp.prec
    yield
    changed = mpmath.mp.prec != prec
    mpmath.mp.prec = prec
    assert not changed, "test left mpmath precision changed"
