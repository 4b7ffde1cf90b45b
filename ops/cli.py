"""`legalbot`: one command for every step of running and checking the assistant."""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import Awaitable

from storage.db import PROJECT_ROOT

DEFAULT_EVAL = PROJECT_ROOT.parent / "shared" / "eval" / "stard_dev.jsonl"


def cmd_kb_check(args: argparse.Namespace) -> int:
    from knowledge.content import check, read_content

    specs = read_content(args.dir)
    problems = check(specs)
    for problem in problems:
        print(problem, file=sys.stderr)
    topics = sorted({s.topic for s in specs})
    print(f"{len(specs)} entries in {len(topics)} topics, {len(problems)} problems")
    return 1 if problems else 0


def cmd_kb_load(args: argparse.Namespace) -> int:
    """Status goes to stderr so that commands which prepare first (route) keep stdout clean."""
    from knowledge.content import ContentError, load, read_content
    from storage.db import database_url, session

    try:
        with session() as s, s.begin():
            counts = load(s, read_content(args.dir))
    except ContentError as error:
        print("\n".join(error.problems), file=sys.stderr)
        print(f"Nothing loaded: {len(error.problems)} problems.", file=sys.stderr)
        return 1
    print(f"knowledge base {database_url()}: " + ", ".join(f"{k} {v}" for k, v in counts.items()), file=sys.stderr)
    return 0


def cmd_kb_report(args: argparse.Namespace) -> int:
    """Entries per topic and every local (non-statute) citation, for the 普法 team's review."""
    from collections import Counter

    from knowledge.content import read_content

    specs = read_content(args.dir)
    for topic, n in sorted(Counter(s.topic for s in specs).items()):
        print(f"{topic:20s} {n}")
    local = [(s.slug, c) for s in specs for c in s.citations if c.source == "local"]
    print(f"local citations: {len(local)}")
    for slug, c in local:
        print(f"  {slug}: {c.law} ({c.number})")
    return 0


def cmd_nlu_build(args: argparse.Namespace) -> int:
    from storage.db import session
    from nlu.build import build

    with session() as s:
        print(f"wrote {build(s)}", file=sys.stderr)
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    """Trains on the current content: the knowledge intents are generated from it first."""
    print(f"model: {prepare(force=args.force)}")
    return 0


def prepare(force: bool = False) -> Path:
    """Load the content, regenerate the training data, train if anything changed (or ``force``)."""
    from nlu.train import train

    for step in (cmd_kb_load, cmd_nlu_build):
        if step(argparse.Namespace(dir=PROJECT_ROOT / "knowledge" / "content")):
            raise SystemExit(1)
    return train(force=force)


def warn_without_advisers() -> None:
    from sqlalchemy import func, select

    from handoff.models import Adviser
    from storage.db import session

    with session() as s:
        active = s.scalar(select(func.count()).select_from(Adviser).where(Adviser.active.is_(True)))
    if not active:
        print("No active advisers are registered: cases will wait in the queue. Load the roster with "
              "`legalbot advisers load FILE` (the sample: `legalbot advisers load`).", file=sys.stderr)


def cmd_run(args: argparse.Namespace) -> int:
    """The Telegram channel when TELEGRAM_BOT_TOKEN is set, the local chat otherwise."""
    from bot.local_chat import chat
    from ops.servers import running_core
    from bot.telegram.channel import TelegramChannel, TelegramSettings

    model = prepare()
    warn_without_advisers()
    telegram = TelegramSettings.from_env()
    with running_core(model, rasa_port=args.port, action_port=args.action_port) as servers:
        url = servers.url
        print(f"Rasa server (REST channel): {url}/webhooks/rest/webhook", file=sys.stderr)
        try:
            if telegram:
                mode = f"webhook {telegram.webhook_url}" if telegram.webhook_url else "long polling"
                print(f"Telegram channel ({mode}); press Ctrl+C to stop.", file=sys.stderr)
                asyncio.run(_pruning_while(TelegramChannel(telegram, url).run()))
            elif args.no_chat:
                print("Serving; press Ctrl+C to stop.", file=sys.stderr)
                asyncio.run(_pruning_while(asyncio.Event().wait()))
            else:
                asyncio.run(_pruning_while(chat(url)))
        except KeyboardInterrupt:
            pass
    return 0


async def _pruning_while(serving: Awaitable[None]) -> None:
    """Serve, deleting conversations past their retention period daily meanwhile."""
    from ops.retention import keep_pruning, retention_days, store_url

    pruner = asyncio.create_task(keep_pruning(store_url(), retention_days()))
    try:
        await serving
    finally:
        pruner.cancel()


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a whole number of days, at least 1 (not {text!r})")
    return int(text)


def cmd_conversations_prune(args: argparse.Namespace) -> int:
    from ops.retention import prune, retention_days, store_url

    days = retention_days() if args.days is None else args.days
    print(f"deleted {prune(store_url(), days)} conversations whose last message is older than {days} days")
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.local_chat import chat

    asyncio.run(chat(args.url))
    return 0


def cmd_route(args: argparse.Namespace) -> int:
    from ops.batch_route import run

    run(args.model or prepare(), sys.stdin, sys.stdout)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from ops.evaluate import cross_validate, evaluate_routing, evaluate_statutes

    if args.cross_validation:
        prepare()
        cross_validate(args.folds)
        return 0
    if not args.data.exists():
        print(f"No evaluation data at {args.data}", file=sys.stderr)
        return 1
    if args.statutes:
        evaluate_statutes(args.model or prepare(), args.data)
        return 0
    evaluate_routing(args.model or prepare(), args.data, out_dir=PROJECT_ROOT / "results")
    return 0


def cmd_statutes_search(args: argparse.Namespace) -> int:
    import io
    import json

    from ops.batch_route import run

    def annotator(router):
        return lambda text: router.articles(text, args.k)

    model = args.model or prepare()
    if args.jsonl:
        run(model, sys.stdin, sys.stdout, annotator)
        return 0
    out = io.StringIO()
    run(model, io.StringIO(json.dumps({"text": args.question}, ensure_ascii=False) + "\n"), out, annotator)
    from knowledge.statutes import find_article

    for hit in json.loads(out.getvalue())["articles"]:
        article = find_article(hit["law"], hit["article"])
        print(f"{article.heading}  ({hit['score']:.2f})\n  {article.text[:120]}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """On a scratch copy of the knowledge base (the bench edits an answer to time it going live),
    with its conversations in a scratch SQLite file unless --tracker-store names a database."""
    import tempfile

    from ops.bench import bench
    from ops.servers import free_port

    with tempfile.TemporaryDirectory() as scratch:
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.db"
        os.environ["TRACKER_STORE_URL"] = args.tracker_store or f"sqlite:///{scratch}/conversations.db"
        bench(prepare(), (free_port(), free_port(), free_port()), per_resident=args.per_resident)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    import subprocess

    from nlu.train import rasa_command

    prepare()
    return subprocess.run(rasa_command("data", "validate", "--config", "nlu/config.yml", "--domain", "domain.yml",
                                       "--data", "nlu/general.yml", "nlu/kb", "stories"),
                          cwd=PROJECT_ROOT).returncode


def cmd_advisers_load(args: argparse.Namespace) -> int:
    from handoff.registry import SEED_REGISTRY, load_registry
    from storage.db import session

    path = args.file or SEED_REGISTRY
    try:
        with session() as s, s.begin():
            report = load_registry(s, path)
    except (OSError, ValueError, KeyError) as error:
        print(f"nothing loaded from {path}: {error!r}", file=sys.stderr)
        return 1
    print(f"registry {path}: {report.villages} villages, {report.advisers} advisers")
    return 0


def cmd_advisers_list(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from handoff.models import Adviser
    from handoff.routing import load
    from storage.db import session

    with session() as s:
        advisers = s.scalars(select(Adviser).order_by(Adviser.code)).all()
        for a in advisers:
            covers = ", ".join(v.name for v in a.villages) or f"{a.duty_district} duty pool"
            print(f"{a.code:14s} {a.name:12s} tg:{a.telegram_user_id:<11d} {'active' if a.active else 'INACTIVE':8s} "
                  f"cases {load(s, a)}/{a.capacity}  {a.hours:32s} {covers}")
    print(f"{len(advisers)} advisers")
    return 0


def cmd_advisers_add(args: argparse.Namespace) -> int:
    from handoff.registry import add_adviser
    from storage.db import session

    try:
        with session() as s, s.begin():
            add_adviser(s, args.code, args.name, args.telegram_id, [v for v in args.villages.split(",") if v],
                        args.hours, args.capacity, args.duty_district)
    except ValueError as error:
        print(f"not added: {error}", file=sys.stderr)
        return 1
    print(f"added {args.code}")
    return 0


def cmd_advisers_active(args: argparse.Namespace) -> int:
    from handoff.registry import set_active
    from storage.db import session

    try:
        with session() as s, s.begin():
            set_active(s, args.code, args.advisers_command == "activate")
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{args.code}: {args.advisers_command}d")
    return 0


def cmd_cases(args: argparse.Namespace) -> int:
    """Open cases (or one case with its history), for the office that supervises advisers."""
    from sqlalchemy import select

    from handoff.cases import OPEN
    from handoff.models import Case, CaseEvent
    from storage.db import session

    with session() as s:
        if args.id:
            case = s.get(Case, args.id)
            if case is None:
                print(f"no case {args.id}", file=sys.stderr)
                return 1
            print(f"#{case.id} {case.topic} {case.status} adviser={case.adviser.code if case.adviser else '-'}")
            for e in s.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)):
                print(f"  {e.at:%Y-%m-%d %H:%M:%S} {e.from_status or '':20s} → {e.to_status:20s} {e.actor} {e.note or ''}")
            return 0
        cases = s.scalars(select(Case).where(Case.status.in_(OPEN)).order_by(Case.priority.desc(), Case.id)).all()
        for case in cases:
            print(f"#{case.id:<5d} {'!' if case.priority else ' '} {case.status:22s} {case.topic:20s} "
                  f"{case.district or '-'} {case.village.name if case.village else '-'} "
                  f"{case.adviser.code if case.adviser else '-'} since {case.created_at:%Y-%m-%d %H:%M}")
        print(f"{len(cases)} open cases")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="legalbot", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    content_dir = PROJECT_ROOT / "knowledge" / "content"

    kb = sub.add_parser("kb", help="the knowledge base").add_subparsers(dest="kb_command", required=True)
    for name, fn, text in (("check", cmd_kb_check, "check the content and every citation"),
                           ("load", cmd_kb_load, "check and publish the content into the database"),
                           ("report", cmd_kb_report, "entries per topic and the local citations")):
        c = kb.add_parser(name, help=text)
        c.add_argument("--dir", type=Path, default=content_dir)
        c.set_defaults(func=fn)

    nlu = sub.add_parser("nlu", help="training data").add_subparsers(dest="nlu_command", required=True)
    nlu.add_parser("build", help="generate the knowledge intents from the database").set_defaults(func=cmd_nlu_build)

    t = sub.add_parser("train", help="load the content, generate the NLU data, train the model if its inputs changed")
    t.add_argument("--force", action="store_true")
    t.set_defaults(func=cmd_train)

    r = sub.add_parser("run", help="prepare, start the servers and open the local chat")
    r.add_argument("--port", type=int, default=int(os.environ.get("RASA_PORT", 5005)))
    r.add_argument("--action-port", type=int, default=int(os.environ.get("ACTION_PORT", 5055)))
    r.add_argument("--no-chat", action="store_true", help="only serve the REST channel")
    r.set_defaults(func=cmd_run)

    c = sub.add_parser("chat", help="chat with a running assistant")
    c.add_argument("--url", default=os.environ.get("RASA_URL", "http://127.0.0.1:5005"))
    c.set_defaults(func=cmd_chat)

    rt = sub.add_parser("route", help="JSONL questions on stdin -> topic, action, entry, citations")
    rt.add_argument("--model", type=Path, help="a trained model (default: train or reuse the current one)")
    rt.set_defaults(func=cmd_route)

    e = sub.add_parser("eval", help="print routing figures, or NLU cross-validation")
    e.add_argument("data", type=Path, nargs="?", default=DEFAULT_EVAL)
    e.add_argument("--model", type=Path)
    e.add_argument("--cross-validation", action="store_true")
    e.add_argument("--statutes", action="store_true", help="statute retrieval: Recall@5 and MRR@5 against BM25")
    e.add_argument("--folds", type=int, default=3)
    e.set_defaults(func=cmd_eval)

    st = sub.add_parser("statutes", help="the statute database").add_subparsers(dest="statutes_command",
                                                                                 required=True)
    ss = st.add_parser("search", help="Civil Code articles relevant to a question")
    ss.add_argument("question", nargs="?", help="the question (or --jsonl on stdin)")
    ss.add_argument("-k", type=int, default=5)
    ss.add_argument("--jsonl", action="store_true", help='JSONL in/out like `route`, adding "articles"')
    ss.add_argument("--model", type=Path)
    ss.set_defaults(func=cmd_statutes_search)

    conv = sub.add_parser("conversations", help="the conversations the Rasa server keeps").add_subparsers(
        dest="conversations_command", required=True)
    cp = conv.add_parser("prune", help="delete conversations whose last message is older than --days "
                                       "(`legalbot run` does it daily)")
    cp.add_argument("--days", type=_positive, default=None, help="default: LEGALBOT_CONVERSATION_DAYS or 30")
    cp.set_defaults(func=cmd_conversations_prune)

    b = sub.add_parser("bench", help="speed of the message path beside Rasa's defaults and a bare rasa run; "
                                     "saves JSON and PNG")
    b.add_argument("--per-resident", type=int, default=10, help="messages each simulated resident sends")
    b.add_argument("--tracker-store", help="an SQLAlchemy URL for the conversations (default: a scratch SQLite file)")
    b.set_defaults(func=cmd_bench)

    sub.add_parser("validate", help="rasa data validate on the generated data").set_defaults(func=cmd_validate)

    adv = sub.add_parser("advisers", help="the registry of village legal advisers").add_subparsers(
        dest="advisers_command", required=True)
    al = adv.add_parser("load", help="insert or update villages and advisers from a YAML registry")
    al.add_argument("file", type=Path, nargs="?", help="default: the sample registry handoff/registry.yml")
    al.set_defaults(func=cmd_advisers_load)
    adv.add_parser("list", help="every adviser with villages, hours and current load").set_defaults(
        func=cmd_advisers_list)
    aa = adv.add_parser("add", help="register an adviser")
    aa.add_argument("code")
    aa.add_argument("--name", required=True)
    aa.add_argument("--telegram-id", type=int, required=True)
    aa.add_argument("--villages", default="", help="village codes, comma-separated")
    aa.add_argument("--hours", default="mon-fri 09:00-18:00")
    aa.add_argument("--capacity", type=int, default=5)
    aa.add_argument("--duty-district", help="also a member of this district's duty pool")
    aa.set_defaults(func=cmd_advisers_add)
    for name, text in (("activate", "put an adviser back on duty"),
                       ("deactivate", "take an adviser off duty; open offers move on")):
        a = adv.add_parser(name, help=text)
        a.add_argument("code")
        a.set_defaults(func=cmd_advisers_active)

    cs = sub.add_parser("cases", help="open cases, or one case's history")
    cs.add_argument("id", type=int, nargs="?")
    cs.set_defaults(func=cmd_cases)
    return p


def main(argv: list[str] | None = None) -> int:
    from ops.servers import ServiceError

    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except ServiceError as error:  # a server or Redis that is not there: say so, no traceback
        print(f"legalbot: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
