"""Constant-formula search engines: ESMA (signed continued fractions + Berlekamp–Massey) and PCF search."""

from search.constants.esma import ESMAEngine, enumerate_lhs, sign_periods

__all__ = ["ESMAEngine", "enumerate_lhs", "sign_periods"]
