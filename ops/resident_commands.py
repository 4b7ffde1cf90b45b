"""`legalbot residents forget SENDER`: delete one resident's data on an administrator's word
(a resident on Telegram can do it themselves with /forget)."""

from __future__ import annotations

import argparse
import getpass

from bot.forget import Forgetting
from config.settings import Settings
from ops.retention import report


def residents_forget(args: argparse.Namespace, settings: Settings) -> int:
    counts = Forgetting.of(settings).forget(args.sender, f"admin:{getpass.getuser()}")
    print(f"forgot {args.sender}: {report(counts)} (recorded in audit_log)")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    residents = sub.add_parser("residents", help="residents' data").add_subparsers(
        dest="residents_command", required=True
    )
    f = residents.add_parser(
        "forget",
        help="delete a resident's data from every table and Rasa's tracker store, audited",
    )
    f.add_argument("sender", help="the conversation id, e.g. tg-123456789 for a Telegram chat")
    f.set_defaults(func=residents_forget)
