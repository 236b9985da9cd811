"""Demo step: identify three numbers as closed forms over named constants."""

ORDER = 10
TITLE = "identify: closed forms from digits (PSLQ)"

#: (input, basis): a 60-digit decimal of (pi^2 - 4 log 2)/5, and two expressions evaluated at the working precision.
EXAMPLES = (
    ("1.41940313576991547623311250280868897260233977395995392198613", "pi,e,log2,log3,catalan,zeta3"),
    ("8*catalan/pi", "pi,e,log2,catalan,zeta3"),
    ("sqrt_e*pi/3", "pi,e,log2,catalan"),
)


def run(ctx) -> list:
    from discovery.commands.identify import build_engine, prepare

    records = []
    for value, basis in EXAMPLES:
        params = prepare(value, basis.split(","), ctx.args.digits)
        result = ctx.run(build_engine("identify", params), params, target=params["value_text"])
        records.extend(r for r in result.records if r["validated"])
    return records
