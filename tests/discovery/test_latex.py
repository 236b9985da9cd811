"""LaTeX export: pinned statements, a standalone document, and (where pdflatex exists) a real compile."""

import shutil
import subprocess

import pytest

from discovery.cli import main
from discovery.latex import document, escape_text, pcf_latex, scf_latex, statement_latex


def test_statement_snapshots():
    rec = {"kind": "identity", "lhs": "8*catalan/pi", "rhs": "8*Catalan/pi", "meta": {}}
    assert statement_latex(rec) == r"\frac{8 G}{\pi} = \frac{8 G}{\pi}"
    rec = {"kind": "model", "lhs": "y", "rhs": "x**2 + sin(x)", "meta": {}}
    assert statement_latex(rec) == r"y \approx x^{2} + \sin{\left(x \right)}"


def test_continued_fractions_use_cfrac():
    tex = pcf_latex("n + 3", "-n", terms=3)
    assert tex == r"3 + \cfrac{-1}{4 + \cfrac{-2}{5 + \cfrac{-3}{6 + \cdots}}}"
    tex = scf_latex([3, 3, 1, 7, 1, 11], [-1, 1], terms=3)
    assert tex.startswith(r"3 - \cfrac{1}{3 + \cfrac{1}{1 - \cfrac{1}{") and tex.endswith(r"\cdots}}}")
    rec = {"kind": "identity", "lhs": "e", "rhs": "PCF(n + 3, -n)", "meta": {"a": "n + 3", "b": "-n"}}
    assert r"\cfrac" in statement_latex(rec)


def test_escape_and_document_structure():
    assert escape_text("bessel_ratio_2 & 50%") == r"bessel\_ratio\_2 \& 50\%"
    doc = document([{"id": 1, "run_id": "r_1", "engine": "identify", "target": "8*catalan/pi", "kind": "identity",
                     "lhs": "8*catalan/pi", "rhs": "8*Catalan/pi", "digits": 50.0, "validated": True, "meta": {}}])
    assert doc.startswith(r"\documentclass") and doc.rstrip().endswith(r"\end{document}")
    assert "50 digits agree" in doc and r"r\_1" in doc


def test_export_formats_and_pdflatex(tmp_path, capsys):
    store = str(tmp_path / "s.sqlite")
    assert main(["identify", "8*catalan/pi", "--store", store, "--no-cluster", "--no-progress",
                 "--basis", "pi,catalan,log2"]) == 0
    tex = tmp_path / "out.tex"
    assert main(["export", "--format", "latex", "-o", str(tex), "--store", store, "--validated-only"]) == 0
    assert r"\frac{8 G}{\pi}" in tex.read_text()
    capsys.readouterr()
    assert main(["export", "--format", "csv", "--store", store]) == 0
    csv_text = capsys.readouterr().out
    assert csv_text.splitlines()[0].startswith("id,run_id,engine,target,kind,lhs,rhs")
    assert main(["export", "--format", "json", "--store", store, "--engine", "identify"]) == 0
    assert '"rhs": "8*Catalan/pi"' in capsys.readouterr().out
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed (`make latex` installs it)")
    out = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", tex.name], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout[-2000:]
    assert (tmp_path / "out.pdf").stat().st_size > 1000
