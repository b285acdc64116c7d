"""`ropa users`: the dashboard's local accounts, in `<warehouse>/dashboard_users.json`.

    ropa users add NAME --role dpo|viewer --warehouse DIR [--password-stdin] [--replace]
    ropa users list --warehouse DIR
    ropa users remove NAME --warehouse DIR

The password is asked twice at a prompt, or read as one line from standard input with
`--password-stdin` (for scripts); it is never an argument, which `ps` and shell history show.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from dashboards.auth import accounts
from dashboards.auth.accounts import ROLES, AccountError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--warehouse", type=Path, required=True, help="the warehouse folder the dashboard shows"
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", parents=[common], help="add a user, or replace one")
    add.add_argument("name", help="user name: letters, digits, '.', '_' or '-'")
    add.add_argument("--role", choices=ROLES, required=True, help="dpo sees all; viewer no Export")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    add.add_argument("--replace", action="store_true", help="set a new password or role")
    actions.add_parser("list", parents=[common], help="list users and their roles")
    remove = actions.add_parser("remove", parents=[common], help="remove a user")
    remove.add_argument("name")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != password:
        raise AccountError("the two passwords differ")
    return password


def run(args: argparse.Namespace) -> int:
    warehouse = Path(args.warehouse)
    try:
        if args.action == "add":
            accounts.check_name(args.name)
            account = accounts.add_account(
                warehouse, args.name, args.role, _password(args.password_stdin),
                replace=args.replace,
            )  # fmt: skip
            saved_in = accounts.accounts_path(warehouse)
            print(f"User {account.name} ({account.role}) saved in {saved_in}")
        elif args.action == "list":
            for account in accounts.list_accounts(warehouse):
                print(f"{account.name}\t{account.role}\t{account.created_at}")
        else:
            accounts.remove_account(warehouse, args.name)
            print(f"User {args.name} removed")
    except AccountError as error:
        print(f"ropa users: {error}", file=sys.stderr)
        return 1
    return 0
