"""Demo step: a short evolution of approximations of e^x on [0, 1], each beside the equal-cost minimax polynomial."""

ORDER = 60
TITLE = "approximate: evolved programs for exp on [0,1] vs minimax at equal op count"


def run(ctx) -> list:
    from discovery.commands.approximate import final_front
    from discovery.commands.approximate import build_engine

    params = {"target": "exp", "interval": [0.0, 1.0], "max_ops": 10, "dtype": "float64", "fma": False,
              "cost": "ops", "time_limit": 8.0, "islands": 2, "rounds": 1, "population": 30,
              "seed_families": True, "seed": 0, "round_time": 4.0}
    engine = build_engine("approximate", params)
    result = ctx.run(engine, params, target="exp")
    return final_front(result.records, "ops")
