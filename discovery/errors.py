"""The one error type for bad input.

``UserError`` is a ``ValueError``: the library raises it, and the CLI turns it into one line on stderr and exit code 2.
"""

__all__ = ["UserError"]


class UserError(ValueError):
    """Bad input from a user: a clear, one-line message, never a traceback."""
