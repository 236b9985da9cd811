"""`discover demo`: every engine's step runs, finds validated conjectures, and the LaTeX file is written."""

from discovery.cli import main
from discovery.commands.demo import demo_steps
from discovery.store import Store


def test_demo_runs_every_engine(tmp_path, capsys):
    store, tex = tmp_path / "demo.sqlite", tmp_path / "demo.tex"
    rc = main(["demo", "--store", str(store), "-o", str(tex), "--no-cluster", "--no-progress"])
    assert rc == 0
    out = capsys.readouterr().out
    steps = [name for name, _ in demo_steps()]
    assert {"identify", "esma", "pcf", "regress", "approximate", "simplify"} <= set(steps)
    summary = out[out.index("summary"):].splitlines()[2:2 + len(steps)]
    for line, name in zip(summary, steps):
        fields = line.split()
        assert fields[0] == name and int(fields[2]) >= 1, line  # at least one validated conjecture per engine
    with Store(store, create=False) as st:
        engines = {r["engine"] for r in st.query(validated_only=True)}
    assert engines >= {"identify", "esma", "pcf", "regress", "approximate", "simplify"}
    text = tex.read_text()
    assert text.startswith(r"\documentclass") and r"\cfrac" in text and r"\end{document}" in text
