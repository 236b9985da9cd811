"""CLI subcommands, one module each.

Every module here defines ``NAME`` (the subcommand), ``HELP`` (one line), ``add_arguments(parser)`` and
``run(args, ctx) -> int``.  ``discovery.cli`` finds them with ``pkgutil`` and adds the common options
(``--store``, ``--json``, ``--seed``, ``--digits``, the runner options) to each.  Modules must import
heavy dependencies inside ``run`` so that ``discover --help`` answers at once.
"""
