"""Clustering PCFs by convergence dynamics, and Möbius families."""

import random

import mpmath

from search.constants.pcf import refine_pcf, eigenvalue_ratio
from search.constants.pcf_cluster import cluster_pcfs, moebius_relation, pcf_families, pcf_features


def _apply(m, x):
    a, b, g, e = m
    return (a + b * x) / (g + e * x)


def test_moebius_relation_maps_one_limit_onto_the_other():
    rng = random.Random(3)
    c = mpmath.mpf(mpmath.pi)
    for _ in range(300):
        m1 = [rng.randint(-5, 5) for _ in range(4)]
        m2 = [rng.randint(-5, 5) for _ in range(4)]
        if m1[0] * m1[3] - m1[1] * m1[2] == 0 or m2[0] * m2[3] - m2[1] * m2[2] == 0:
            continue
        t = moebius_relation(m1, m2)
        with mpmath.workdps(40):
            x, y = _apply(m1, c), _apply(m2, c)
            assert abs(_apply(t, x) - y) <= mpmath.mpf(10) ** -30 * max(1, abs(y))
    assert moebius_relation((4, 0, 0, 1), (4, 0, 0, 1)) == (0, 1, 1, 0)        # identity
    assert moebius_relation((4, 0, 0, 1), (2, 0, 0, 1)) == (0, 1, 2, 0)        # y = x/2
    assert moebius_relation((0, 0, 1, 0), (1, 0, 0, 1)) is None                 # M1 singular


def _meta(a, b, target="pi", moebius=None):
    info = refine_pcf(a, b, 1000)
    return {"delta": info["delta"], "convergence_rate": info["rate"], "convergence_fit": info["fit"],
            "eigenvalue_ratio": eigenvalue_ratio(a, b), "moebius": moebius, "_target": target}


def test_clusters_separate_convergence_dynamics():
    # three PCF families with different dynamics: 4/pi-type (2n+1, n^2 shifts), e-type (n+k, -n) and golden-type
    metas = [_meta([2, 1], [1, 0, 0]), _meta([2, 3], [1, 2, 1]), _meta([2, 3], [1, 2, 0]),
             _meta([1, 3], [-1, 0]), _meta([1, 4], [-1, 0]),
             _meta([1], [1]), _meta([2], [1])]
    clusters = cluster_pcfs(metas)
    groups = sorted(sorted(c["members"]) for c in clusters)
    assert [0, 1, 2] in groups and [3, 4] in groups
    assert sum(len(g) for g in groups) == 7
    for c in clusters:
        lo, hi = c["features"]["delta"]
        assert lo <= c["features"]["mean"]["delta"] <= hi


def test_features_need_finite_metrics():
    assert pcf_features({"delta": [None, None], "convergence_rate": 1.0, "eigenvalue_ratio": 0.5}) is None
    assert pcf_features({"delta": [0.1, 0.2], "convergence_rate": 1.0, "eigenvalue_ratio": 0.5,
                         "convergence_fit": None}) == (0.2, 1.0, 0.0, 0.5)


def test_families_link_moebius_related_limits_of_one_target():
    metas = [{"moebius": [4, 0, 0, 1], "_target": "pi"},      # 4/pi
             {"moebius": [2, 0, 0, 1], "_target": "pi"},      # 2/pi = (4/pi)/2
             {"moebius": [0, 1, 1, 0], "_target": "pi"},      # pi = 2/(2/pi) (but 4/(4/pi): coefficient 4)
             {"moebius": [4, 0, 0, 1], "_target": "e"},       # a different constant: never linked
             {"moebius": [8, 3, 5, -7], "_target": "pi"}]     # far from the others
    assert pcf_families(metas, max_coeff=1) == []
    fams = pcf_families(metas, max_coeff=2)
    assert [f["members"] for f in fams] == [[0, 1, 2]]
    # 4/pi -- 2/pi (y = x/2) and 2/pi -- pi (y = 2/x); 4/pi -- pi needs coefficient 4
    assert sorted((i, j) for i, j, _ in fams[0]["edges"]) == [(0, 1), (1, 2)]
    fams = pcf_families(metas, max_coeff=4)
    assert sorted((i, j) for i, j, _ in fams[0]["edges"]) == [(0, 1), (0, 2), (1, 2)]
