"""ESMA benchmark: the reference run, the ANCHORS §3 figures, and a textbook implementation side by side.

    python benchmarks/bench_esma.py [--quick]

1. The reference run ``discover constants e --method esma --sign-period 2..2 --depth 105 --poly-deg 1
   --coeff-limit 2`` (anchor: exactly 13 verified formulas): the engine alone (median), the CLI in-process with
   validation and store, and the CLI on a 2-worker Dask LocalCluster.
2. ANCHORS §3 item 7 (degree 1, L = 2, sign periods 1..4, depth 100): 17 for e, 16 for e^2, 21 for tan 1, 19 for
   I1(2)/I0(2), 0 for pi, "in about 10 s each".
3. A textbook ESMA in plain Python (mpmath floor/ceil loop at 500 digits, list-based Berlekamp–Massey, the same
   left-hand sides) on the reference run, and SymPy-``simplify`` left-hand-side generation (the original's) against
   ours.

``esma_reference_run()`` is importable (``benchmarks/bench_constants.py`` may call it).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import json
import os
import statistics
import sys
import tempfile
import time

try:
    from benchmarks._common import machine_line
except ImportError:  # run as a script: python benchmarks/bench_esma.py
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from benchmarks._common import machine_line

import mpmath

REFERENCE = {"sign_periods": (2, 2), "depth": 105, "poly_deg": 1, "coeff_limit": 2}
CLI_REFERENCE = ["constants", "e", "--method", "esma", "--sign-period", "2..2", "--depth", "105", "--poly-deg", "1",
                 "--coeff-limit", "2"]
ANCHOR_7 = [("e", lambda: +mpmath.e, 17), ("exp(2)", lambda: mpmath.exp(2), 16), ("tan(1)", lambda: mpmath.tan(1), 21),
            ("besseli(1,2)/besseli(0,2)", lambda: mpmath.besseli(1, 2) / mpmath.besseli(0, 2), 19),
            ("pi", lambda: +mpmath.pi, 0)]
ANCHOR_7_SECONDS = 10.0


def _value(fn):
    def value(dps):
        with mpmath.workdps(dps):
            return fn()
    return value


def esma_reference_run(constant: str = "e", value=None, **overrides) -> tuple[int, float]:
    """Run the ESMA reference configuration in-process (no store); returns ``(formulas, seconds)``."""
    from search.constants.esma import ESMAEngine

    cfg = dict(REFERENCE, **overrides)
    t0 = time.perf_counter()
    eng = ESMAEngine(constant, value or _value(lambda: +mpmath.e), **cfg)
    n = sum(len(eng.run_task(t)) for t in eng.tasks())
    return n, time.perf_counter() - t0


def cli_reference_run(extra: list[str]) -> tuple[int, int, float]:
    """The reference run through ``discover constants`` (validation and store included): (rc, validated, s)."""
    from discovery.cli import main

    with tempfile.TemporaryDirectory() as d:
        out = io.StringIO()
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            rc = main(CLI_REFERENCE + ["--store", os.path.join(d, "s.sqlite"), "--no-progress", "--json"] + extra)
        wall = time.perf_counter() - t0
    recs = [json.loads(line) for line in out.getvalue().splitlines() if line.startswith("{")]
    return rc, sum(1 for r in recs if r.get("validated")), wall


# -- a textbook ESMA, for comparison -------------------------------------------------------------------------------


def _textbook_expand(x, signs, depth):
    out = []
    for i in range(depth):
        s = signs[i % len(signs)]
        a = int(mpmath.floor(x)) if s > 0 else int(mpmath.ceil(x))
        out.append(a)
        x = s / (x - a)
    return out


def _textbook_bm(seq, p):
    s = [x % p for x in seq]
    C, B, L, m, b = [1], [1], 0, 1, 1
    for n in range(len(s)):
        d = s[n]
        for i in range(1, L + 1):
            d = (d + C[i] * s[n - i]) % p
        if d == 0:
            m += 1
            continue
        coef = d * pow(b, p - 2, p) % p
        T = C[:]
        C = C + [0] * (len(B) + m - len(C))
        for i, v in enumerate(B):
            C[i + m] = (C[i + m] - coef * v) % p
        if 2 * L <= n:
            L, B, b, m = n + 1 - L, T, d, 1
        else:
            m += 1
    return C[: L + 1], L


def textbook_reference_run() -> tuple[int, float]:
    """The reference run with a plain mpmath/Python kernel (same rules, same left-hand sides)."""
    from search.constants.esma import enumerate_lhs, sign_periods

    t0 = time.perf_counter()
    with mpmath.workdps(1030):
        c = +mpmath.e
    lhs = enumerate_lhs(c, 1, 2)
    found = set()
    for num, den in lhs:
        for signs in sign_periods(2, 2):
            with mpmath.workdps(500):
                v = abs((num[0] * c + num[1]) / (den[0] * c + den[1]))
                a = _textbook_expand(v, signs, 105)
            if 0 in a:
                continue
            C, L = _textbook_bm(a, 199)
            if not (L + 1 < 105 // 4 and C[L] != 0):
                continue
            Cz = [x - 199 if x > 99 else x for x in C]
            seq = list(a[:L])
            while len(seq) < 1000:
                seq.append(-sum(Cz[j] * seq[-j] for j in range(1, L + 1)))
            p0, p1, q0, q1 = 1, seq[0], 0, 1
            for n in range(1, 1000):
                bn = signs[(n - 1) % len(signs)]
                p0, p1 = p1, seq[n] * p1 + bn * p0
                q0, q1 = q1, seq[n] * q1 + bn * q0
            with mpmath.workdps(1000):
                v1000 = abs((num[0] * c + num[1]) / (den[0] * c + den[1]))
                if mpmath.nstr(mpmath.mpf(p1) / q1, 100) == mpmath.nstr(v1000, 100):
                    found.add((num, den))
    return len(found), time.perf_counter() - t0


def sympy_lhs_generation(sample: int | None) -> tuple[int, float, float]:
    """SymPy ``simplify`` on every P(e)/Q(e) (the original's left-hand-side generation); (n, s, s per item)."""
    import sympy

    pairs = [(n, d) for n in itertools.product(range(-2, 3), repeat=2) for d in itertools.product(range(-2, 3), repeat=2)
             if any(n) and any(d)]
    todo = pairs if sample is None else pairs[:: max(1, len(pairs) // sample)][:sample]
    E = sympy.E
    t0 = time.perf_counter()
    for n, d in todo:
        sympy.simplify((n[0] * E + n[1]) / (d[0] * E + d[1]))
    per = (time.perf_counter() - t0) / len(todo)
    return len(pairs), per * len(pairs), per


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats; SymPy timing on a sample")
    args = ap.parse_args(argv)
    reps = 3 if args.quick else 7
    print("# ESMA benchmark")
    print(machine_line())
    print(f"mode: {'quick' if args.quick else 'full'}")

    esma_reference_run()  # warm-up: imports and the cached Numba Berlekamp-Massey kernel
    runs = [esma_reference_run() for _ in range(reps)]
    counts = {n for n, _ in runs}
    t_engine = statistics.median(t for _, t in runs)
    rc1, v1, t_cli = cli_reference_run(["--no-cluster"])
    import logging

    logging.getLogger("distributed").setLevel(logging.CRITICAL)  # cluster shutdown chatter on stderr
    rc2, v2, t_dask = cli_reference_run(["--workers", "2"])
    n_tb, t_tb = textbook_reference_run()
    print("\n## Reference run: e, sign period 2..2, depth 105, poly_deg 1, coeff_limit 2 (anchor: 13 formulas)")
    print(f"{'how':<48} {'formulas':>9} {'seconds':>9}")
    print(f"{'engine in-process (median of %d)' % reps:<48} {'/'.join(map(str, sorted(counts))):>9} {t_engine:>9.2f}")
    print(f"{'discover constants, in-process (+validate, store)':<48} {v1:>9} {t_cli:>9.2f}")
    print(f"{'discover constants, Dask LocalCluster 2 workers':<48} {v2:>9} {t_dask:>9.2f}   (incl. cluster start)")
    print(f"{'textbook ESMA (mpmath loop, Python BM)':<48} {n_tb:>9} {t_tb:>9.2f}")
    print(f"speed-up of the engine over the textbook kernel: {t_tb / t_engine:.1f}x")

    total, t_sym, per = sympy_lhs_generation(60 if args.quick else None)
    from search.constants.esma import enumerate_lhs

    with mpmath.workdps(1030):
        c = +mpmath.e
    t0 = time.perf_counter()
    n_lhs = len(enumerate_lhs(c, 1, 2))
    t_ours = time.perf_counter() - t0
    print("\n## Left-hand-side generation, degree 1, L = 2 (576 pairs P/Q)")
    print(f"{'how':<48} {'values':>9} {'seconds':>9}")
    note = "  (sampled 60, extrapolated)" if args.quick else ""
    print(f"{'SymPy simplify per pair (the original)':<48} {'':>9} {t_sym:>9.2f}{note}")
    print(f"{'numeric dedup at 60 digits (ours)':<48} {n_lhs:>9} {t_ours:>9.3f}")
    print(f"ratio: {t_sym / t_ours:.0f}x")

    print("\n## ANCHORS §3 item 7: degree 1, L = 2, sign periods 1..4, depth 100 (anchor: about 10 s each)")
    print(f"{'constant':<28} {'anchor':>7} {'ours':>6} {'seconds':>9} {'anchor/ours':>12}")
    ok = rc1 == 0 and rc2 == 0 and v1 == 13 and v2 == 13 and counts == {13}
    for name, fn, want in ANCHOR_7:
        ts, got = [], None
        for _ in range(1 if args.quick else 3):
            got, t = esma_reference_run(name, _value(fn), sign_periods=(1, 4), depth=100)
            ts.append(t)
        t = statistics.median(ts)
        ok &= got == want
        print(f"{name:<28} {want:>7} {got:>6} {t:>9.2f} {ANCHOR_7_SECONDS / t:>11.1f}x")
    print(f"\nall counts match the anchors: {'yes' if ok else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
