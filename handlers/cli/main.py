"""The ``phigate`` command: the composition root that wires settings, core and surfaces together."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.config import ConfigError
from handlers.cli import (
    audit,
    config_check,
    db,
    demo,
    doctor,
    incident,
    keys,
    policy,
    purge,
    replies,
    report,
    scan,
    serve,
    teams,
    token,
)
from handlers.cli.wiring import SchemaOutOfDate, StorageUnavailable

COMMANDS = (
    scan,
    serve,
    db,
    audit,
    incident,
    report,
    policy,
    replies,
    doctor,
    purge,
    keys,
    token,
    config_check,
    demo,
    teams,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per module in ``COMMANDS``."""
    parser = argparse.ArgumentParser(
        prog="phigate",
        description="HIPAA-aware approval gate for hospital social-media replies.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except ConfigError as exc:
        print(f"phigate: configuration error: {exc}", file=sys.stderr)
        return 2
    except (StorageUnavailable, SchemaOutOfDate) as exc:
        print(f"phigate: database error: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
