"""`legalbot kb …`, `nlu build`, `train` and `validate`: the knowledge base and the model."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections import Counter
from pathlib import Path

from config.settings import PROJECT_ROOT, Settings
from knowledge.content import ContentError, check, read_content
from knowledge.sources import SourceStatus, read_register, title_key
from nlu.train import rasa_command
from ops.training import CONTENT_DIR, build_training_data, load_content, prepare
from storage.db import Database


def kb_check(args: argparse.Namespace, settings: Settings) -> int:
    specs = read_content(args.dir)
    problems = check(specs)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(specs)} entries in {len({s.topic for s in specs})} topics, {len(problems)} problems")
    return 1 if problems else 0


def kb_load(args: argparse.Namespace, settings: Settings) -> int:
    db = Database(settings.database_url)
    try:
        load_content(db, args.dir)
    except ContentError as error:
        print("\n".join(error.problems), file=sys.stderr)
        print(f"Nothing loaded: {len(error.problems)} problems.", file=sys.stderr)
        return 1
    return 0


def kb_report(args: argparse.Namespace, settings: Settings) -> int:
    """Entries per topic, and every registered source with its status and the entries citing it,
    so the 普法 team sees what to review when a source changes."""
    specs = read_content(args.dir)
    for topic, n in sorted(Counter(s.topic for s in specs).items()):
        print(f"{topic:20s} {n}")
    print(f"{len(specs)} entries")
    citing: dict[str, list[str]] = {}
    for spec in specs:
        for citation in spec.citations:
            citing.setdefault(title_key(citation.law), []).append(spec.slug)
    registered, _ = read_register()
    print(f"\nsources register: {len(registered)} documents")
    for source in sorted(registered, key=lambda s: (s.status != SourceStatus.in_force, s.jurisdiction, s.title)):
        slugs = sorted(set(citing.get(title_key(source.title), [])))
        print(
            f"  [{source.status.value}] {source.title} {source.number or ''} ({source.jurisdiction}, "
            f"checked {source.checked}): {len(slugs)} entries{': ' + ', '.join(slugs) if slugs else ''}"
        )
    return 0


def nlu_build(args: argparse.Namespace, settings: Settings) -> int:
    print(f"wrote {build_training_data(Database(settings.database_url))}", file=sys.stderr)
    return 0


def train_model(args: argparse.Namespace, settings: Settings) -> int:
    """Trains on the current content: the knowledge intents are generated from it first."""
    print(f"model: {prepare(Database(settings.database_url), force=args.force)}")
    return 0


def validate(args: argparse.Namespace, settings: Settings) -> int:
    prepare(Database(settings.database_url))
    return subprocess.run(
        rasa_command(
            "data",
            "validate",
            "--config",
            "nlu/config.yml",
            "--domain",
            "domain.yml",
            "--data",
            "nlu/general.yml",
            "nlu/kb",
            "stories",
        ),
        cwd=PROJECT_ROOT,
    ).returncode


def add_commands(sub: argparse._SubParsersAction) -> None:
    kb = sub.add_parser("kb", help="the knowledge base").add_subparsers(dest="kb_command", required=True)
    for name, fn, text in (
        ("check", kb_check, "check the content and every citation"),
        ("load", kb_load, "check and publish the content into the database"),
        ("report", kb_report, "entries per topic and the local citations"),
    ):
        command = kb.add_parser(name, help=text)
        command.add_argument("--dir", type=Path, default=CONTENT_DIR)
        command.set_defaults(func=fn)

    nlu = sub.add_parser("nlu", help="training data").add_subparsers(dest="nlu_command", required=True)
    nlu.add_parser("build", help="generate the knowledge intents from the database").set_defaults(func=nlu_build)

    t = sub.add_parser("train", help="load the content, generate the NLU data, train the model if its inputs changed")
    t.add_argument("--force", action="store_true")
    t.set_defaults(func=train_model)

    sub.add_parser("validate", help="rasa data validate on the generated data").set_defaults(func=validate)
