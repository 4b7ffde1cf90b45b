"""`legalbot`: one command for every step of running and checking the assistant. The settings
are read from the environment once, here, and handed to the command."""

from __future__ import annotations

import argparse
import sys

from config.settings import Settings
from ops import adviser_commands, console_commands, eval_commands, kb_commands, resident_commands, serve_commands
from ops.servers import ServiceError
from storage.privacy import mask_logs


def parser(settings: Settings) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="legalbot", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    kb_commands.add_commands(sub)
    serve_commands.add_commands(sub, settings)
    eval_commands.add_commands(sub)
    adviser_commands.add_commands(sub)
    console_commands.add_commands(sub, settings)
    resident_commands.add_commands(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    mask_logs()  # the channel, the console and every command: no personal number in a log
    settings = Settings.from_env()
    args = parser(settings).parse_args(argv)
    try:
        return args.func(args, settings)
    except ServiceError as error:  # a server or Redis that is not there: say so, no traceback
        print(f"legalbot: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
