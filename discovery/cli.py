"""The ``discover`` command.

Subcommands live in ``discovery/commands/`` (one module each, found automatically).  Every subcommand gets the common
options (store, JSON output, seed, digits, runner).  Bad input gives one line on stderr and exit code 2, with the
store unchanged; heavy modules are imported only inside a command's ``run``, so ``--help`` answers at once.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
import sys

from discovery.errors import UserError

__all__ = ["main", "build_parser", "Context", "command_modules"]


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit code 2, and values that start with a minus sign
    followed by a digit are values, not options: intervals (``--interval -1,1``), coefficient boxes
    (``--b-coeffs -4..4,0``), numbers (``-1e-3``).  No option of ours starts with a digit."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = re.compile(r"^-\.?\d[\d\s.,eE+-]*$")

    def error(self, message: str):  # noqa: D401 - argparse API
        self.exit(2, f"{self.prog}: error: {message}\n")


def command_modules() -> list:
    import discovery.commands as pkg

    mods = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"discovery.commands.{info.name}")
        if hasattr(mod, "NAME") and hasattr(mod, "run"):
            mods.append(mod)
    return mods


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None


def _common_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("common options")
    g.add_argument("--store", default="discoveries.sqlite", help="SQLite store (default: ./discoveries.sqlite)")
    g.add_argument("--json", action="store_true", help="print JSON lines on stdout, one per conjecture")
    g.add_argument("--seed", type=_int, default=0, help="run seed (default 0); tasks derive theirs from it")
    g.add_argument("--digits", type=_positive_int, default=50,
                   help="validation precision in digits (default 50; evaluation at digits+10)")
    r = p.add_argument_group("runner options")
    r.add_argument("--workers", type=_positive_int, default=None, help="workers of the embedded LocalCluster (default: one per core)")
    r.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT", help="use an existing Dask scheduler")
    r.add_argument("--scheduler-file", default=None, metavar="FILE", help="use the Dask scheduler described in FILE")
    r.add_argument("--no-cluster", action="store_true", help="run every task in this process, without Dask")
    r.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    r.add_argument("--drop-rejected", action="store_true", help="do not store candidates that fail validation")


def build_parser(modules=None) -> argparse.ArgumentParser:
    parser = _Parser(prog="discover", description="discovery-workbench: search for formulas, validate, store, export.")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for mod in modules if modules is not None else command_modules():
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=getattr(mod, "DESCRIPTION", mod.HELP))
        mod.add_arguments(p)
        _common_options(p)
        p.set_defaults(_module=mod)
    return parser


class Context:
    """What a command needs: its arguments, the store (opened on first use), the runner options and output."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self._store = None
        self.client = None  # a Dask client shared across runs (``discover demo``)

    @property
    def store(self):
        if self._store is None:
            from discovery.store import Store

            self._store = Store(self.args.store)
        return self._store

    def open_existing_store(self):
        """The store, which must already exist (read-only commands never create one)."""
        if self._store is None:
            from discovery.store import Store

            self._store = Store(self.args.store, create=False)
        return self._store

    @property
    def options(self):
        from discovery.runner import RunnerOptions

        a = self.args
        return RunnerOptions(workers=a.workers, scheduler=a.scheduler, scheduler_file=a.scheduler_file,
                             no_cluster=a.no_cluster, progress=not a.no_progress, keep_rejected=not a.drop_rejected,
                             client=self.client)

    def run(self, engine, params: dict, target: str = ""):
        from discovery.runner import run_engine

        return run_engine(engine, store=self.store, params=params, options=self.options, digits=self.args.digits,
                          seed=self.args.seed, target=target)

    def log(self, message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    def emit(self, records: list[dict]) -> None:
        """Print conjectures: JSON lines (``--json``) or a table."""
        from discovery.output import print_json_lines, print_table

        if self.args.json:
            print_json_lines(records)
        else:
            print_table(records)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--version":
        from discovery.store import package_version

        print(package_version())
        return 0
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # usage errors (exit 2, one line) and --help (exit 0)
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return 2
    ctx = Context(args)
    try:
        return int(args._module.run(args, ctx) or 0)
    except UserError as exc:
        print(f"discover {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("discover: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    finally:
        ctx.close()


if __name__ == "__main__":
    raise SystemExit(main())
