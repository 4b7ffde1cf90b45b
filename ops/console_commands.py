"""`legalbot console` (the knowledge console on its own) and `legalbot users` (its accounts)."""

from __future__ import annotations

import argparse
import getpass
import sys

from config.settings import Settings
from console.auth import AccountError, add_user
from console.models import ConsoleUser, Role
from ops import screenshots
from storage.db import Database


def serve_console(args: argparse.Namespace, settings: Settings) -> int:
    from waitress import serve  # only where the console is served

    from console.app import create_app

    model_url = args.model_url or f"http://127.0.0.1:{settings.model_port}"
    app = create_app(settings, rasa_url=args.rasa_url, model_url=model_url)
    print(f"knowledge console: http://{args.host}:{args.port}", file=sys.stderr)
    serve(app, host=args.host, port=args.port, threads=8, ident="legalbot-console")
    return 0


def users_add(args: argparse.Namespace, settings: Settings) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            print("the two passwords differ; nothing was changed", file=sys.stderr)
            return 1
    try:
        with Database(settings.database_url).session() as s, s.begin():
            add_user(s, args.name, password, Role(args.role), by="legalbot users add")
    except AccountError as error:
        print(f"legalbot: {error}", file=sys.stderr)
        return 1
    print(f"added {args.name} ({args.role})")
    return 0


def users_list(args: argparse.Namespace, settings: Settings) -> int:
    from sqlalchemy import select

    with Database(settings.database_url).session() as s:
        for user in s.scalars(select(ConsoleUser).order_by(ConsoleUser.name)):
            print(f"{user.name:20s} {user.role:10s} {'active' if user.active else 'disabled'}")
    return 0


def add_commands(sub: argparse._SubParsersAction, settings: Settings) -> None:
    c = sub.add_parser("console", help="serve the knowledge console (legalbot run starts it too)")
    c.add_argument("--host", default=settings.console.host)
    c.add_argument("--port", type=int, default=settings.console.port)
    c.add_argument("--rasa-url", default=settings.rasa_url, help="the running assistant, for Try it")
    c.add_argument("--model-url", default=None, help="the model server the Rasa workers pull from")
    c.set_defaults(func=serve_console)
    screenshots.add_commands(c, settings)

    users = sub.add_parser("users", help="the knowledge console's accounts").add_subparsers(
        dest="users_command", required=True
    )
    a = users.add_parser("add", help="create an account (the first one: --role admin)")
    a.add_argument("name")
    a.add_argument("--role", required=True, choices=[r.value for r in Role])
    a.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    a.set_defaults(func=users_add)
    users.add_parser("list", help="every account with its role").set_defaults(func=users_list)
