"""Demo step: a small polynomial-continued-fraction scan for pi and for e (Ramanujan-Machine style)."""

ORDER = 25
TITLE = "pcf: polynomial continued fractions for pi and e from small coefficient boxes"

#: (target, a(n) box, b(n) box): 2 500 and 1 225 PCFs before the equivalence filter.
SCANS = (
    ("pi", "0..3,-2..2", "-2..2,-2..2,-2..2"),   # finds 4/pi = PCF(2n+1, n^2) and three relatives
    ("e", "0..2,-3..3", "-2..2,-2..2,0..4"),      # finds e = PCF(n+3, -n), 1/(e-2) = PCF(n+1, n), ...
)


def run(ctx) -> list:
    from discovery.commands._pcf import PCF_DEPTH, build_engine

    records = []
    for target, a_spec, b_spec in SCANS:
        params = {"target": target, "a_coeffs": a_spec, "b_coeffs": b_spec, "depth": PCF_DEPTH,
                  "digits": max(100, int(ctx.args.digits)), "scan_depth": 100, "lhs_coeff_limit": 8,
                  "match_digits": 10, "chunk": None, "keep_rational": False}
        result = ctx.run(build_engine("pcf", params), params, target=target)
        records.extend(r for r in result.records if r["validated"])
    return records
