"""Demo step: the ESMA reference run for e (signed continued fractions + Berlekamp–Massey), 13 formulas."""

ORDER = 20
TITLE = "esma: signed continued fractions for e (reference run: sign period 2..2, depth 105, degree 1, L = 2)"

#: ``discover constants e --method esma --sign-period 2..2 --depth 105 --poly-deg 1 --coeff-limit 2``
PARAMS = {"constant": "e", "sign_periods": [2, 2], "depth": 105, "poly_deg": 1, "coeff_limit": 2, "prime": 199,
          "enum_dps": 500, "verify_depth": 1000, "verify_dps": 1000, "verify_digits": 100, "allow_prefix": False,
          "chunk_size": 16}


def run(ctx) -> list:
    from discovery.commands.constants import build_engine

    params = dict(PARAMS)
    result = ctx.run(build_engine("esma", params), params, target=params["constant"])
    return sorted((r for r in result.records if r["validated"]), key=lambda r: r.get("complexity") or 0)
