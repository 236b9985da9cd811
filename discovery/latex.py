"""LaTeX rendering of conjectures and the standalone export document.

Statements go through SymPy's LaTeX printer.  Continued fractions (``meta`` with ``a``/``b`` for a polynomial
continued fraction, or ``signs``/``partial_denominators`` for a signed one) are drawn with ``\\cfrac`` for the first
terms and ``\\cdots``; evolved programs (``meta["program_latex"]``) are shown as a sequence of equations.
"""

from __future__ import annotations

import datetime as _dt

__all__ = ["statement_latex", "pcf_latex", "scf_latex", "document", "escape_text"]

_TEXT_ESCAPES = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}


def escape_text(text: str) -> str:
    """Escape plain text for LaTeX text mode."""
    return "".join(_TEXT_ESCAPES.get(ch, ch) for ch in str(text))


def _sympy_latex(text: str) -> str:
    import sympy

    from discovery.validate import decimal_digits

    if decimal_digits(text) is not None:
        return text.strip()
    try:
        from discovery.constants import parse

        return sympy.latex(parse(text))
    except Exception:
        try:
            return sympy.latex(sympy.sympify(text))
        except Exception:  # not SymPy syntax: show it verbatim
            return r"\texttt{" + escape_text(text) + "}"


def _poly_at(expr_text: str, n: int):
    import sympy

    return sympy.sympify(expr_text).subs(sympy.Symbol("n"), n)


def pcf_latex(a: str, b: str, terms: int = 4) -> str:
    r"""$a(0) + \cfrac{b(1)}{a(1) + \cfrac{b(2)}{a(2) + \cdots}}$ for a polynomial continued fraction."""
    import sympy

    a_vals = [sympy.latex(_poly_at(a, k)) for k in range(terms + 1)]
    b_vals = {k: sympy.latex(_poly_at(b, k)) for k in range(1, terms + 1)}
    tail = rf"{a_vals[terms]} + \cdots"
    for k in range(terms - 1, 0, -1):
        tail = rf"{a_vals[k]} + \cfrac{{{b_vals[k + 1]}}}{{{tail}}}"
    return rf"{a_vals[0]} + \cfrac{{{b_vals[1]}}}{{{tail}}}"


def scf_latex(partial_denominators: list[int], signs: list[int], terms: int = 5) -> str:
    r"""$a_0 \pm \cfrac{1}{a_1 \pm \cfrac{1}{a_2 \pm \cdots}}$ for a signed continued fraction (signs periodic)."""
    d = [int(x) for x in partial_denominators[: terms + 1]]
    s = [int(x) for x in signs] or [1]

    def sign(k):  # sign joining a_{k} and the tail after it
        return "+" if s[k % len(s)] > 0 else "-"

    body = rf"{d[terms]} {sign(terms)} \cdots" if len(d) > terms else r"\cdots"
    for k in range(min(terms, len(d)) - 1, 0, -1):
        body = rf"{d[k]} {sign(k)} \cfrac{{1}}{{{body}}}"
    return rf"{d[0]} {sign(0)} \cfrac{{1}}{{{body}}}"


def statement_latex(rec: dict) -> str:
    """The conjecture's statement in LaTeX math (without delimiters)."""
    meta = rec.get("meta") or {}
    lhs = _sympy_latex(rec["lhs"])
    if "a" in meta and "b" in meta:
        try:
            return rf"{lhs} = {pcf_latex(meta['a'], meta['b'])}"
        except Exception:
            pass
    if "partial_denominators" in meta and "signs" in meta:
        return rf"{lhs} = {scf_latex(meta['partial_denominators'], meta['signs'])}"
    rhs = _sympy_latex(rec["rhs"])
    rel = {"approximation": r"\approx", "model": r"\approx"}.get(rec.get("kind"), "=")
    return f"{lhs} {rel} {rhs}"


def _evidence(rec: dict) -> str:
    parts = []
    if rec.get("digits") is not None:
        parts.append(f"{rec['digits']:g} digits agree")
    if rec.get("max_rel_error") is not None:
        parts.append(f"max relative error {rec['max_rel_error']:.3g}")
    if rec.get("complexity") is not None:
        parts.append(f"complexity {rec['complexity']}")
    parts.append("validated" if rec.get("validated") else f"not validated ({rec.get('status', 'unchecked')})")
    return "; ".join(parts)


def document(records: list[dict], title: str = "Conjectures") -> str:
    """A standalone LaTeX document with one entry per conjecture: statement, engine, evidence, run."""
    lines = [
        r"\documentclass[11pt]{article}",
        r"\usepackage{amsmath,amssymb}",
        r"\usepackage[margin=2cm]{geometry}",
        r"\allowdisplaybreaks",
        rf"\title{{{escape_text(title)}}}",
        rf"\date{{{_dt.date.today().isoformat()}}}",
        r"\author{discovery-workbench}",
        r"\begin{document}",
        r"\maketitle",
    ]
    if not records:
        lines.append(r"No conjectures matched.")
    for rec in records:
        meta = rec.get("meta") or {}
        lines.append(rf"\subsection*{{Conjecture {rec.get('id', '')}: {escape_text(rec['kind'])} "
                     rf"({escape_text(rec['engine'])})}}")
        lines.append(rf"Target: \texttt{{{escape_text(rec['target'])}}}.")
        if meta.get("program_latex"):
            lines.append(r"\begin{align*}")
            lines.append(meta["program_latex"])
            lines.append(r"\end{align*}")
        lines.append(r"\begin{equation*}")
        lines.append(rec.get("latex") or statement_latex(rec))
        lines.append(r"\end{equation*}")
        lines.append(rf"\noindent Evidence: {escape_text(_evidence(rec))}. Run \texttt{{{escape_text(rec.get('run_id', ''))}}}.")
        lines.append("")
    lines.append(r"\end{document}")
    return "\n".join(lines) + "\n"
