"""The `ropa` command line: one entry point, one module per subcommand.

Each subcommand module exposes `add_arguments(parser)` and `run(args) -> int`; modules are
imported only when their subcommand runs, so `ropa --help` stays fast and a broken optional
part (the dashboard, say) cannot stop the nightly `ropa run`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("commands.demo", "write the embedded demo export drop"),
    "run": ("commands.run", "load a drop, build the record, audit it, publish"),
    "findings": ("commands.findings", "print the findings of the published warehouse"),
    "export": ("commands.export", "write the regulator pack"),
    "verify": ("commands.verify", "check a pack's file hashes and signature"),
    "dashboard": ("commands.dashboard", "start the DPO dashboard"),
    "users": ("commands.users", "add, list or remove the dashboard's local accounts"),
    "serve": ("commands.serve", "run the Dagster webserver and daemon (nightly refresh)"),
}


def build_parser(selected: str | None = None) -> argparse.ArgumentParser:
    """The parser; only the selected subcommand's module is imported to add its options."""
    parser = argparse.ArgumentParser(
        prog="ropa", description="Privacy audit and records-of-processing warehouse."
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(module_name=module_name)
        if name == selected:
            importlib.import_module(module_name).add_arguments(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    selected = args_list[0] if args_list else None
    args = build_parser(selected).parse_args(args_list)
    module = importlib.import_module(args.module_name)
    return int(module.run(args))


if __name__ == "__main__":
    sys.exit(main())
