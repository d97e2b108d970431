"""``phigate token create|revoke|list``: API tokens (``Authorization: Bearer``)."""

from __future__ import annotations

import argparse
import re
from typing import Any

from bot.config import Settings
from handlers.cli.wiring import open_database

_USER = re.compile(r"^(?:[a-z]+:)?[A-Za-z0-9._@-]{1,150}$")


def register(sub: Any) -> None:
    """Add the ``token`` sub-commands."""
    parser = sub.add_parser("token", help="API tokens: create, revoke, list")
    actions = parser.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    create_parser = actions.add_parser(
        "create",
        help="create a token for a user (printed once)",
        description="Create an API token. The user is api:<NAME>, or NAME as given when it already has a "
        "surface prefix (e.g. slack:U123) so the token acts as that account.",
    )
    create_parser.add_argument("--user", required=True, help="who the token acts as")
    create_parser.add_argument("--label", default="", help="a note: what the token is for")
    create_parser.set_defaults(handler=create)
    revoke_parser = actions.add_parser("revoke", help="revoke a token by its id")
    revoke_parser.add_argument("token_id", help="the id printed by `token create` / `token list` (T-...)")
    revoke_parser.set_defaults(handler=revoke)
    list_parser = actions.add_parser("list", help="list tokens (ids, users, dates; never secrets)")
    list_parser.set_defaults(handler=list_tokens)
    for action in (create_parser, revoke_parser, list_parser):
        action.add_argument("--config", metavar="PATH", help="TOML config file (default: $PHIGATE_CONFIG)")


def create(args: argparse.Namespace) -> int:
    """Execute ``phigate token create``."""
    if not _USER.match(args.user):
        print("phigate: --user must be a name like 'publisher' or an account like 'slack:U123'")
        return 2
    user_id = args.user if ":" in args.user else f"api:{args.user}"
    db = open_database(Settings.load(args.config), upgrade_embedded=True)
    token_id, secret = db.run(lambda tx: tx.tokens.create(user_id, args.label))
    db.dispose()
    print(f"token {token_id} for {user_id} (keep it secret; it is not shown again):\n{secret}")
    return 0


def revoke(args: argparse.Namespace) -> int:
    """Execute ``phigate token revoke``; exit 1 when there is no such active token."""
    db = open_database(Settings.load(args.config), upgrade_embedded=True)
    revoked = db.run(lambda tx: tx.tokens.revoke(args.token_id))
    db.dispose()
    print(f"token {args.token_id} revoked" if revoked else f"no active token {args.token_id}")
    return 0 if revoked else 1


def list_tokens(args: argparse.Namespace) -> int:
    """Execute ``phigate token list``."""
    db = open_database(Settings.load(args.config), upgrade_embedded=True)
    rows = db.run(
        lambda tx: [
            (row.id, row.user_id, row.label, row.created_at, row.revoked_at) for row in tx.tokens.list()
        ],
        write=False,
    )
    db.dispose()
    for token_id, user_id, label, created, revoked in rows:
        state = f"revoked {revoked:%Y-%m-%d}" if revoked else "active"
        print(f"{token_id}  {user_id}  created {created:%Y-%m-%d}  {state}  {label}")
    if not rows:
        print("no tokens")
    return 0
