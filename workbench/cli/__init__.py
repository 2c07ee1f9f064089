"""The ``workbench`` command line: a thin shell over the library.

Each module in this package that defines ``register(subparsers)`` adds its commands; modules are found
automatically, so a stage adds its commands in its own file. A command's handler takes the parsed
arguments and returns an exit code. :class:`workbench.errors.WorkbenchError` becomes one line on stderr and
exit code 2; so does a usage error.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import warnings

from .. import __version__
from ..core.errors import WorkbenchError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2 (argparse prints usage too; keep it short)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="workbench", description="Translation and alignment workbench for diplomatic texts.")
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=SyntaxWarning)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except WorkbenchError as exc:
        print(f"workbench: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("workbench: interrupted; work done so far is saved, run the same command again to continue",
              file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `workbench segments x.db | head`
        return 0
