"""Constant-formula search engines: ESMA (signed continued fractions + Berlekamp–Massey) and PCF search."""

from search.constants.esma import ESMAEngine, enumerate_lhs, sign_periods
from search.constants.pcf import MoebiusTable, PCFBox, PCFSearch, parse_spec, refine_pcf
from search.constants.pcf_cluster import cluster_pcfs, pcf_families

__all__ = ["ESMAEngine", "enumerate_lhs", "sign_periods"]
__all__ += ["PCFSearch", "PCFBox", "MoebiusTable", "parse_spec", "refine_pcf", "cluster_pcfs", "pcf_families"]
