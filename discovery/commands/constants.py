"""``discover constants TARGET --method esma|pcf``: continued-fraction formulas for a constant.

``--method esma`` (default) runs the ESMA search (signed continued fractions + Berlekamp–Massey, ANCHORS §3) from
``search.constants.esma``.  ``--method pcf`` and ``--cluster`` are delegated to ``discovery/commands/_pcf.py``
(the polynomial-continued-fraction search and the clustering of its results).

Contract with ``_pcf.py``: it defines ``add_arguments(parser)``, ``run(args, ctx) -> int`` and optionally
``build_engine(engine_name, params)`` for resume.  Its ``add_arguments`` is called after this module's; an option
this module already defines (``--depth``, ``--method``, TARGET) is shared, not redefined: ``args.depth`` is ``None``
unless the user gave it, and each method applies its own default (ESMA 100).
"""

NAME = "constants"
HELP = "find continued-fraction formulas for a constant (ESMA signed CFs, or PCF search with --method pcf)"
DESCRIPTION = (
    "Search continued-fraction formulas for TARGET, a registry name (e, pi, zeta3, ...) or an mpmath expression "
    "(tan(1), besseli(1,2)/besseli(0,2)). --method esma (default): signed continued fractions of |P(c)/Q(c)| whose "
    "partial denominators obey a short recurrence (Berlekamp-Massey mod p), approved to 100 digits. "
    "--method pcf: polynomial continued fractions over coefficient boxes. "
    "Example: discover constants e --method esma --sign-period 2..2 --depth 105 --poly-deg 1 --coeff-limit 2"
)
ENGINES = ("esma", "pcf")

ESMA_DEPTH = 100


class _SharedOptions:
    """A parser (or group) proxy: an option string this command already defines is shared, not redefined."""

    def __init__(self, target, parser):
        self._target = target
        self._parser = parser

    def add_argument(self, *names, **kwargs):
        taken = [n for n in names if n in self._parser._option_string_actions]
        if taken:
            return self._parser._option_string_actions[taken[0]]
        if names and not names[0].startswith("-") and any(
                a.dest == names[0] for a in self._parser._actions if not a.option_strings):
            return next(a for a in self._parser._actions if a.dest == names[0])
        return self._target.add_argument(*names, **kwargs)

    def add_argument_group(self, *args, **kwargs):
        return _SharedOptions(self._target.add_argument_group(*args, **kwargs), self._parser)

    def add_mutually_exclusive_group(self, *args, **kwargs):
        return _SharedOptions(self._target.add_mutually_exclusive_group(*args, **kwargs), self._parser)

    def __getattr__(self, name):
        return getattr(self._target, name)


def add_arguments(p) -> None:
    p.add_argument("target", metavar="TARGET", help="registry name (e, pi, zeta3, ...) or mpmath expression (tan(1))")
    p.add_argument("--method", choices=("esma", "pcf"), default="esma", help="search method (default esma)")
    p.add_argument("--depth", type=int, default=None,
                   help=f"esma: partial denominators expanded per value (default {ESMA_DEPTH}); "
                        "pcf: refinement depth (its own default)")
    g = p.add_argument_group("ESMA options (--method esma)")
    g.add_argument("--sign-period", default="1..2", metavar="LO..HI",
                   help="sign-period lengths, e.g. 2..2 or 1..4 (default 1..2)")
    g.add_argument("--poly-deg", type=int, default=1, help="max degree of P and Q in |P(c)/Q(c)| (default 1)")
    g.add_argument("--coeff-limit", type=int, default=2, help="coefficients of P, Q in [-L, L] (default 2)")
    g.add_argument("--prime", type=int, default=199, help="prime for Berlekamp-Massey (default 199)")
    g.add_argument("--enum-dps", type=int, default=500, help="digits for the expansion (default 500)")
    g.add_argument("--verify-depth", type=int, default=1000, help="terms regenerated to approve (default 1000)")
    g.add_argument("--verify-dps", type=int, default=1000, help="digits for the approve step (default 1000)")
    g.add_argument("--verify-digits", type=int, default=100, help="digits that must agree to approve (default 100)")
    g.add_argument("--allow-prefix", action="store_true",
                   help="also accept recurrences that start after an irregular prefix (finds many more, "
                        "mostly eventually periodic simple CFs of Mobius transforms)")
    g.add_argument("--chunk-size", type=int, default=16, help="left-hand sides per task (default 16)")
    from discovery.commands import _pcf

    _pcf.add_arguments(_SharedOptions(p, p))


def parse_range(text: str, name: str) -> tuple[int, int]:
    """``"2..4"`` -> (2, 4); ``"3"`` -> (3, 3).  Empty or inverted ranges raise ``UserError``."""
    from discovery.errors import UserError

    raw = (text or "").strip()
    if not raw:
        raise UserError(f"{name} is empty")
    parts = raw.split("..")
    try:
        if len(parts) == 1:
            lo = hi = int(parts[0])
        elif len(parts) == 2:
            lo, hi = int(parts[0]), int(parts[1])
        else:
            raise ValueError
    except ValueError:
        raise UserError(f"{name} must be LO..HI or an integer, got {text!r}") from None
    if hi < lo:
        raise UserError(f"{name} {text!r} is an empty range (LO > HI)")
    return lo, hi


def resolve_target(text: str, dps: int = 30):
    """``(expression, value_fn)`` for a registry name or expression; ``value_fn(dps)`` evaluates it.

    Unknown names raise ``UserError`` with the close matches; expressions SymPy does not know are tried in
    mpmath's namespace (``ellipk(0.5)``).
    """
    import mpmath

    from discovery import constants
    from discovery.errors import UserError
    from discovery.validators.scf import constant_value

    expr = (text or "").strip()
    if not expr:
        raise UserError("TARGET is empty")
    if expr in constants.names():
        def value_fn(d, _name=expr):
            return constants.mp_value(_name, d)
    else:
        def value_fn(d, _expr=expr):
            return constant_value(_expr, d)
    try:
        v = value_fn(dps)
    except UserError:
        raise
    except Exception as exc:  # SymPy/mpmath raise many types for expressions like 1/(e - e)
        raise UserError(f"TARGET {expr!r} cannot be evaluated ({type(exc).__name__})") from None
    with mpmath.workdps(dps):
        if not isinstance(v, mpmath.mpf) or not mpmath.isfinite(v):
            raise UserError(f"TARGET {expr!r} does not evaluate to a finite real number")
        if v == 0:
            raise UserError(f"TARGET {expr!r} is zero")
    return expr, value_fn


def prepare_esma(args) -> dict:
    """Check the ESMA options and return the run parameters (JSON), raising ``UserError`` on bad input."""
    from discovery.errors import UserError

    lo, hi = parse_range(args.sign_period, "--sign-period")
    if lo < 1:
        raise UserError(f"--sign-period lengths must be at least 1, got {args.sign_period!r}")
    depth = ESMA_DEPTH if args.depth is None else int(args.depth)
    checks = [(depth >= 8, f"--depth must be at least 8, got {depth}"),
              (args.poly_deg >= 1, f"--poly-deg must be at least 1, got {args.poly_deg}"),
              (args.coeff_limit >= 1, f"--coeff-limit must be at least 1, got {args.coeff_limit}"),
              (args.chunk_size >= 1, f"--chunk-size must be at least 1, got {args.chunk_size}")]
    for ok, message in checks:
        if not ok:
            raise UserError(message)
    expr, _ = resolve_target(args.target)
    return {"constant": expr, "sign_periods": [lo, hi], "depth": depth, "poly_deg": args.poly_deg,
            "coeff_limit": args.coeff_limit, "prime": args.prime, "enum_dps": args.enum_dps,
            "verify_depth": args.verify_depth, "verify_dps": args.verify_dps, "verify_digits": args.verify_digits,
            "allow_prefix": bool(args.allow_prefix), "chunk_size": args.chunk_size}


def build_engine(engine_name: str, params: dict):
    """Rebuild the engine from its stored parameters (``discover resume``)."""
    from discovery.errors import UserError

    if engine_name == "pcf":
        from discovery.commands import _pcf

        return _pcf.build_engine(engine_name, params)
    if engine_name != "esma":
        raise UserError(f"unknown engine {engine_name!r} for discover constants")
    from search.constants.esma import ESMAEngine

    _, value_fn = resolve_target(params["constant"])
    try:
        return ESMAEngine(params["constant"], value_fn, sign_periods=tuple(params["sign_periods"]),
                          depth=params["depth"], poly_deg=params["poly_deg"], coeff_limit=params["coeff_limit"],
                          prime=params["prime"], enum_dps=params["enum_dps"], verify_depth=params["verify_depth"],
                          verify_dps=params["verify_dps"], verify_digits=params["verify_digits"],
                          allow_prefix=params.get("allow_prefix", False), chunk_size=params.get("chunk_size", 16))
    except ValueError as exc:
        raise UserError(str(exc)) from None


def run(args, ctx) -> int:
    from discovery.output import validated_first

    if args.method == "pcf" or getattr(args, "cluster", False):
        from discovery.commands import _pcf

        return int(_pcf.run(args, ctx) or 0)
    params = prepare_esma(args)
    engine = build_engine("esma", params)
    result = ctx.run(engine, params, target=params["constant"])
    records = validated_first(result.records)
    ctx.emit(records)
    n_val = sum(1 for r in records if r["validated"])
    ctx.log(f"run {result.run_id}: {len(records)} ESMA formulas ({n_val} validated) for {params['constant']} "
            f"from {len(engine.left_hand_sides())} left-hand sides in {result.elapsed:.1f} s")
    return 0
