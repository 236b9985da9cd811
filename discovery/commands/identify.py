"""``discover identify VALUE``: find closed forms of a number over named constants (PSLQ)."""

NAME = "identify"
HELP = "identify a number as a closed form over named constants (integer relations, PSLQ)"
DESCRIPTION = (
    "Search integer relations between VALUE and products and powers of basis constants. VALUE is a decimal "
    "string of at least 20 significant digits, or an expression in the named constants (e.g. '8*catalan/pi')."
)
ENGINES = ("identify",)

DEFAULT_BASIS = "pi,e,log2,log3,zeta3,zeta5,catalan,euler_gamma,golden,sqrt2,sqrt3"
MIN_DECIMAL_DIGITS = 20


def add_arguments(p) -> None:
    p.add_argument("value", metavar="VALUE", help="decimal string (>= 20 digits) or expression in named constants")
    p.add_argument("--basis", default=DEFAULT_BASIS, help=f"comma list of registry names (default: {DEFAULT_BASIS})")
    p.add_argument("--max-coeff", type=int, default=1000, help="largest integer coefficient in a relation (default 1000)")
    p.add_argument("--max-constants", type=int, default=2, help="constants combined per relation (default 2)")
    p.add_argument("--degree", type=int, default=2, help="highest monomial degree in the linear form (default 2)")


def prepare(value_text: str, basis: list[str], digits: int, max_coeff: int = 1000, max_constants: int = 2,
            degree: int = 2) -> dict:
    """Check the inputs and return the run parameters (JSON), raising ``UserError`` on bad input."""
    import mpmath

    from discovery import constants
    from discovery.errors import UserError
    from discovery.validate import decimal_digits

    value_text = value_text.strip()
    if max_coeff < 1:
        raise UserError(f"--max-coeff must be at least 1, got {max_coeff}")
    if not 1 <= max_constants <= 4:
        raise UserError(f"--max-constants must be between 1 and 4, got {max_constants}")
    if not 1 <= degree <= 4:
        raise UserError(f"--degree must be between 1 and 4, got {degree}")
    names = [b.strip() for b in basis if b.strip()]
    if not names:
        raise UserError("--basis is empty")
    for n in names:
        constants.get(n)  # unknown names raise with close matches
    nd = decimal_digits(value_text)
    if nd is not None:
        if nd < MIN_DECIMAL_DIGITS:
            raise UserError(f"VALUE {value_text!r} has only {nd} significant digits; identify needs at least {MIN_DECIMAL_DIGITS}")
        dps = nd
        with mpmath.workdps(dps):
            value = mpmath.nstr(mpmath.mpf(value_text), dps)
    else:
        if any(ch.isdigit() for ch in value_text) and all(ch in "0123456789.eE+- " for ch in value_text):
            raise UserError(f"cannot parse number {value_text!r}")
        dps = digits + 10
        value = mpmath.nstr(constants.evaluate(value_text, dps), dps)
        if mpmath.mpf(value) == 0:
            raise UserError(f"VALUE {value_text!r} is zero")
    return {"value": value, "value_text": value_text, "dps": dps, "basis": sorted(set(names)),
            "max_coeff": max_coeff, "max_constants": max_constants, "degree": degree}


def build_engine(engine_name: str, params: dict):
    import mpmath

    from discovery import constants
    from search.identify import IdentifyEngine

    dps = params["dps"]
    basis = {n: (constants.get(n).sympy, mpmath.nstr(constants.mp_value(n, dps + 10), dps + 10)) for n in params["basis"]}
    return IdentifyEngine(params["value"], params["value_text"], dps, basis, max_coeff=params["max_coeff"],
                          max_constants=params["max_constants"], max_degree=params["degree"])


def run(args, ctx) -> int:
    from discovery.output import validated_first

    params = prepare(args.value, args.basis.split(","), args.digits, args.max_coeff, args.max_constants, args.degree)
    engine = build_engine("identify", params)
    result = ctx.run(engine, params, target=params["value_text"])
    records = validated_first(result.records)
    ctx.emit(records)
    ctx.log(f"run {result.run_id}: {len(records)} conjectures "
            f"({sum(r['validated'] for r in records)} validated) in {result.elapsed:.1f} s")
    return 0
