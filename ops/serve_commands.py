"""`legalbot run`, `chat` and `conversations prune`: serving residents."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import signal
import sys
from collections.abc import Awaitable
from contextlib import AsyncExitStack

from bot.forget import Forgetting
from bot.local_chat import chat
from bot.rest.app import serving
from bot.router import Router
from config.settings import Settings
from handoff.repository import active_adviser_count
from ops.retention import Retention, keep_pruning, prune_all, report
from ops.servers import running_console, running_core
from ops.training import prepare
from storage.db import Database


def warn_without_advisers(db: Database) -> None:
    with db.session() as s:
        if not active_adviser_count(s):
            print(
                "No active advisers are registered: cases will wait in the queue. Load the roster with "
                "`legalbot advisers load FILE` (the sample: `legalbot advisers load`).",
                file=sys.stderr,
            )


def run(args: argparse.Namespace, settings: Settings) -> int:
    """The Telegram channel when TELEGRAM_BOT_TOKEN is set, the local chat otherwise."""
    # A process started in the background by a shell script inherits SIGINT ignored, and Python
    # then never raises KeyboardInterrupt: Ctrl-C (or kill -INT) must stop the servers regardless.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    settings = dataclasses.replace(settings, rasa_port=args.port, action_port=args.action_port)
    db = Database(settings.database_url)
    model = prepare(db)
    warn_without_advisers(db)
    with running_core(model, settings) as servers, running_console(settings, servers) as console_url:
        print(f"Rasa server (loopback only, for the router): {servers.url}", file=sys.stderr)
        print(f"Knowledge console: {console_url} (accounts: `legalbot users add NAME --role admin`)", file=sys.stderr)
        try:
            asyncio.run(_pruning_while(serve_channels(args, settings, db, servers.url), settings, db))
        except KeyboardInterrupt:
            pass
    return 0


async def serve_channels(args: argparse.Namespace, settings: Settings, db: Database, rasa_url: str) -> None:
    """The REST channel for residents, when configured, beside Telegram, the local chat or nothing."""
    async with AsyncExitStack() as channels:
        if settings.rest:
            url = await channels.enter_async_context(
                serving(settings.rest, Router(rasa_url, db, settings.handoff, forgetting=Forgetting.of(settings)))
            )
            print(f"REST channel for residents: POST {url}", file=sys.stderr)
        await _serve_residents(args, settings, db, rasa_url)


async def _serve_residents(args: argparse.Namespace, settings: Settings, db: Database, rasa_url: str) -> None:
    if settings.telegram:
        from bot.telegram.channel import TelegramChannel  # python-telegram-bot only where it is used

        mode = f"webhook {settings.telegram.webhook_url}" if settings.telegram.webhook_url else "long polling"
        print(f"Telegram channel ({mode}); press Ctrl+C to stop.", file=sys.stderr)
        await TelegramChannel(
            settings.telegram, settings.handoff, db, rasa_url, forgetting=Forgetting.of(settings)
        ).run()
    elif args.no_chat:
        print("Serving; press Ctrl+C to stop.", file=sys.stderr)
        await asyncio.Event().wait()
    else:
        await chat(Router(rasa_url, db, settings.handoff, forgetting=Forgetting.of(settings)))


async def _pruning_while(serving: Awaitable[None], settings: Settings, db: Database) -> None:
    """Serve, applying the retention periods (ops/retention.py) daily meanwhile."""
    pruner = asyncio.create_task(keep_pruning(Retention.of(settings)))
    try:
        await serving
    finally:
        pruner.cancel()


def local_chat(args: argparse.Namespace, settings: Settings) -> int:
    db = Database(settings.database_url)
    asyncio.run(chat(Router(args.url, db, settings.handoff, forgetting=Forgetting.of(settings))))
    return 0


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a whole number of days, at least 1 (not {text!r})")
    return int(text)


def conversations_prune(args: argparse.Namespace, settings: Settings) -> int:
    """Apply every retention period once (for cron); ``--days`` overrides the conversations' one."""
    retention = Retention.of(settings)
    if args.days is not None:
        retention = dataclasses.replace(retention, conversation_days=args.days)
    print(f"deleted past their retention periods: {report(prune_all(retention))}")
    return 0


def add_commands(sub: argparse._SubParsersAction, settings: Settings) -> None:
    r = sub.add_parser("run", help="prepare, start the servers and open the local chat")
    r.add_argument("--port", type=int, default=settings.rasa_port)
    r.add_argument("--action-port", type=int, default=settings.action_port)
    r.add_argument("--no-chat", action="store_true", help="no local chat: serve Telegram or the REST channel only")
    r.set_defaults(func=run)

    c = sub.add_parser("chat", help="chat with a running assistant")
    c.add_argument("--url", default=settings.rasa_url)
    c.set_defaults(func=local_chat)

    conv = sub.add_parser("conversations", help="the conversations the Rasa server keeps").add_subparsers(
        dest="conversations_command", required=True
    )
    cp = conv.add_parser(
        "prune",
        help="apply every retention period once: conversations, consultations, Telegram updates, cases "
        "(`legalbot run` does it daily)",
    )
    cp.add_argument("--days", type=_positive, default=None, help="default: LEGALBOT_CONVERSATION_DAYS or 30")
    cp.set_defaults(func=conversations_prune)
