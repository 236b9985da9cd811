"""Demo step: recover a kinetic-energy law from a small table, with a column named ``E`` (a SymPy name)."""

ORDER = 50
TITLE = "regress: symbolic regression (MCTS) recovers E = m*v**2/2 from 30 rows"


def run(ctx) -> list:
    import os
    import tempfile

    import numpy as np

    from discovery.commands.regress import build_engine, front_best_first

    rng = np.random.default_rng(0)
    m = rng.uniform(0.5, 3.0, 30)
    v = rng.uniform(-4.0, 4.0, 30)
    E = m * v**2 / 2
    folder = tempfile.mkdtemp(prefix="discover-demo-")
    path = os.path.join(folder, "kinetic.csv")
    with open(path, "w") as fh:
        fh.write("m,v,E\n")
        for row in zip(m, v, E):
            fh.write(",".join(repr(float(c)) for c in row) + "\n")
    import hashlib

    with open(path, "rb") as fh:
        sha = hashlib.sha256(fh.read()).hexdigest()
    params = {"data": path, "sha256": sha, "target": "E", "features": None,
              "operators": ["+", "-", "*", "/", "sin", "cos", "exp", "log"], "time_limit": 30.0,
              "max_complexity": 20, "max_evals": 4000, "searches": 1, "rounds": 1, "noise": None,
              "constants": True}
    result = ctx.run(build_engine("regress", params), params, target="E (kinetic.csv)")
    return front_best_first(result.records)
