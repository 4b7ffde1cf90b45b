"""`legalbot advisers …` and `legalbot cases`: the registry of village legal advisers and the
open cases, for the office that supervises them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from config.settings import Settings
from handoff.models import Case
from handoff.registry import SEED_REGISTRY, add_adviser, load_registry, set_active
from handoff.repository import all_advisers, case_history, open_cases
from handoff.routing import load
from storage.db import Database
from storage.privacy import mask


def advisers_load(args: argparse.Namespace, settings: Settings) -> int:
    path = args.file or SEED_REGISTRY
    try:
        with Database(settings.database_url).session() as s, s.begin():
            report = load_registry(s, path)
    except (OSError, ValueError, KeyError) as error:
        print(f"nothing loaded from {path}: {error!r}", file=sys.stderr)
        return 1
    print(f"registry {path}: {report.villages} villages, {report.advisers} advisers")
    return 0


def advisers_list(args: argparse.Namespace, settings: Settings) -> int:
    with Database(settings.database_url).session() as s:
        advisers = all_advisers(s)
        for a in advisers:
            covers = ", ".join(v.name for v in a.villages) or f"{a.duty_district} duty pool"
            print(
                f"{a.code:14s} {a.name:12s} tg:{a.telegram_user_id:<11d} {'active' if a.active else 'INACTIVE':8s} "
                f"cases {load(s, a)}/{a.capacity}  {a.hours:32s} {covers}"
            )
    print(f"{len(advisers)} advisers")
    return 0


def advisers_add(args: argparse.Namespace, settings: Settings) -> int:
    try:
        with Database(settings.database_url).session() as s, s.begin():
            add_adviser(
                s,
                args.code,
                args.name,
                args.telegram_id,
                [v for v in args.villages.split(",") if v],
                args.hours,
                args.capacity,
                args.duty_district,
            )
    except ValueError as error:
        print(f"not added: {error}", file=sys.stderr)
        return 1
    print(f"added {args.code}")
    return 0


def advisers_active(args: argparse.Namespace, settings: Settings) -> int:
    try:
        with Database(settings.database_url).session() as s, s.begin():
            set_active(s, args.code, args.advisers_command == "activate")
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{args.code}: {args.advisers_command}d")
    return 0


def cases(args: argparse.Namespace, settings: Settings) -> int:
    """Open cases (or one case with its history), for the office that supervises advisers;
    personal numbers in the notes masked (the adviser holding a case sees them on Telegram)."""
    with Database(settings.database_url).session() as s:
        if args.id:
            case = s.get(Case, args.id)
            if case is None:
                print(f"no case {args.id}", file=sys.stderr)
                return 1
            print(f"#{case.id} {case.topic} {case.status} adviser={case.adviser.code if case.adviser else '-'}")
            for e in case_history(s, case.id):
                print(
                    f"  {e.at:%Y-%m-%d %H:%M:%S} {e.from_status or '':20s} → {e.to_status:20s} {e.actor} "
                    f"{mask(e.note or '')}"
                )
            return 0
        listed = open_cases(s)
        for case in listed:
            print(
                f"#{case.id:<5d} {'!' if case.priority else ' '} {case.status:22s} {case.topic:20s} "
                f"{case.district or '-'} {case.village.name if case.village else '-'} "
                f"{case.adviser.code if case.adviser else '-'} since {case.created_at:%Y-%m-%d %H:%M}"
            )
        print(f"{len(listed)} open cases")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    adv = sub.add_parser("advisers", help="the registry of village legal advisers").add_subparsers(
        dest="advisers_command", required=True
    )
    al = adv.add_parser("load", help="insert or update villages and advisers from a YAML registry")
    al.add_argument("file", type=Path, nargs="?", help="default: the sample registry handoff/registry.yml")
    al.set_defaults(func=advisers_load)
    adv.add_parser("list", help="every adviser with villages, hours and current load").set_defaults(func=advisers_list)
    aa = adv.add_parser("add", help="register an adviser")
    aa.add_argument("code")
    aa.add_argument("--name", required=True)
    aa.add_argument("--telegram-id", type=int, required=True)
    aa.add_argument("--villages", default="", help="village codes, comma-separated")
    aa.add_argument("--hours", default="mon-fri 09:00-18:00")
    aa.add_argument("--capacity", type=int, default=5)
    aa.add_argument("--duty-district", help="also a member of this district's duty pool")
    aa.set_defaults(func=advisers_add)
    for name, text in (
        ("activate", "put an adviser back on duty"),
        ("deactivate", "take an adviser off duty; open offers move on"),
    ):
        a = adv.add_parser(name, help=text)
        a.add_argument("code")
        a.set_defaults(func=advisers_active)

    cs = sub.add_parser("cases", help="open cases, or one case's history")
    cs.add_argument("id", type=int, nargs="?")
    cs.set_defaults(func=cases)
