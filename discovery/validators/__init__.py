"""High-precision validators, one module per ``Candidate.check["type"]``.

Each module defines ``validate(candidate, digits) -> discovery.validate.Verdict``.  ``discovery.validate``
imports the module named by the candidate's check type on first use.
"""
