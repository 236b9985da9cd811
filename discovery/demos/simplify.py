"""Demo step: e-graph simplification of three expressions under the CPU-cycles cost model."""

ORDER = 60
TITLE = "simplify: equality saturation + cost-driven extraction (Symbolics CPU-cycles costs)"

#: (expression, variable domain)
EXAMPLES = (
    ("sin(x)**2 + cos(x)**2", None),
    ("(x + 2)**2 - x**2 - 4*x", None),
    ("x**2*y + x*sin(y)/cos(y)", None),
    ("log(x*y) - log(y)", "positive"),
)


def run(ctx) -> list:
    from discovery.commands.simplify import build_engine

    records = []
    for expr, assume in EXAMPLES:
        params = {"expr": expr, "cost": "cycles", "assume": assume, "rules": "all",
                  "limits": {"iterations": 30, "nodes": 10000, "time": 5.0}, "extract": "greedy"}
        result = ctx.run(build_engine("simplify", params), params, target=expr)
        records.extend(result.records)
    return records
