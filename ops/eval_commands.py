"""`legalbot route`, `eval`, `statutes search` and `bench`: what the assistant does with
questions, and how well and how fast it does it. They print figures; they assert nothing."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import sys
import tempfile
from functools import partial
from pathlib import Path

from config.settings import PROJECT_ROOT, Settings
from knowledge.statutes import find_article
from nlu.train import this_machine, train, trained_on, without_encoder
from ops.batch_route import BatchRouter, run
from ops.training import prepare
from storage.db import Database

SHARED_EVAL = PROJECT_ROOT.parent / "shared" / "eval"
#: Our paraphrases of residents' questions with the entry that answers each: held out from all
#: tuning, and the ones the entry choice's constants were tuned on (actions/entry_choice.py).
PARAPHRASES = (
    PROJECT_ROOT / "ops" / "data" / "paraphrases.jsonl",
    PROJECT_ROOT / "ops" / "data" / "paraphrases_tuning.jsonl",
)
#: The development questions (STARD's and residents'), held-out paraphrases of our own with the
#: entry that answers each (for the precision of outright answers), the paraphrases the entry
#: choice's constants were tuned on (actions/entry_choice.py), and our own danger and
#: needs-a-person messages beside ordinary ones that use the same words (the safety net's set).
DEFAULT_EVAL = (
    SHARED_EVAL / "stard_dev.jsonl",
    SHARED_EVAL / "residents_dev.jsonl",
    *PARAPHRASES,
    PROJECT_ROOT / "ops" / "data" / "safety.jsonl",
)


def _model(args: argparse.Namespace, db: Database) -> Path:
    return args.model or prepare(db)


def route(args: argparse.Namespace, settings: Settings) -> int:
    db = Database(settings.database_url)
    router = BatchRouter(_model(args, db), db)
    run(router, sys.stdin, sys.stdout, router.route)
    return 0


def evaluate(args: argparse.Namespace, settings: Settings) -> int:
    from ops.evaluate import (
        bm25_baseline,
        cited_articles,
        cross_validate,
        evaluate_routing,
        evaluate_statutes,
        model_predictor,
    )

    db = Database(settings.database_url)
    if args.cross_validation:
        prepare(db)
        cross_validate(args.folds)
        return 0
    defaults = PARAPHRASES if args.typos else DEFAULT_EVAL
    files = args.data or [path for path in defaults if path.exists()]
    missing = [str(path) for path in files if not path.exists()]
    if missing or not files:
        print(f"No evaluation data at {', '.join(missing) or ', '.join(map(str, defaults))}", file=sys.stderr)
        return 1
    model = _model(args, db)
    print(f"model {model.name}, trained on {trained_on(model)}; evaluated on {this_machine()}")
    if args.statutes:
        evaluate_statutes(model, db, files[0])
        return 0
    systems = {
        "legalbot": model_predictor(model, db),
        "without encoder": model_predictor(train(config=without_encoder()), db),
        "BM25 nearest example": partial(bm25_baseline, db),
    }
    if args.typos:
        files, typed_right = mistyped_files(files, PROJECT_ROOT / "results")
        served = systems["legalbot"]
        systems = {
            "legalbot": served,
            "legalbot, no typo": lambda texts: served([typed_right[t] for t in texts]),
            "without encoder": systems["without encoder"],
        }
    evaluate_routing(systems, files, out_dir=PROJECT_ROOT / "results", cited=cited_articles(db))
    return 0


def mistyped_files(files: list[Path], out_dir: Path) -> tuple[list[Path], dict[str, str]]:
    """Each file's questions that hold a legal term, with the term mistyped (ops/typos.py), as
    files of their own in ``out_dir``; and each mistyped question's original."""
    from ops.evaluate import read_labelled
    from ops.typos import mistype

    out_dir.mkdir(parents=True, exist_ok=True)
    written, originals = [], {}
    for path in files:
        target = out_dir / f"mistyped_{path.stem}.jsonl"
        with target.open("w", encoding="utf-8") as out:
            for row in read_labelled(path):
                typed = mistype(row["text"])
                if typed is not None:
                    originals[typed] = row["text"]
                    out.write(json.dumps({**row, "text": typed, "typed_right": row["text"]}, ensure_ascii=False) + "\n")
        written.append(target)
    return written, originals


def statutes_search(args: argparse.Namespace, settings: Settings) -> int:
    db = Database(settings.database_url)
    router = BatchRouter(_model(args, db), db)
    if args.jsonl:
        run(router, sys.stdin, sys.stdout, lambda text: router.articles(text, args.k))
        return 0
    if not args.question:
        print("Give a question, or --jsonl to read questions from standard input.", file=sys.stderr)
        return 1
    for hit in asyncio.run(router.articles(args.question, args.k))["articles"]:
        article = find_article(hit["law"], hit["article"])
        print(f"{article.heading}  ({hit['score']:.2f})\n  {article.text[:120]}")
    return 0


def bench(args: argparse.Namespace, settings: Settings) -> int:
    """On a scratch copy of the knowledge base (the bench edits an answer to time it going live),
    with its conversations in a scratch SQLite file unless --tracker-store names a database."""
    from ops.bench.run import bench as run_bench
    from ops.bench.training import training_times

    with tempfile.TemporaryDirectory() as scratch:
        scratch_settings = dataclasses.replace(
            settings,
            database_url=f"sqlite:///{scratch}/bench.db",
            tracker_store_url=args.tracker_store or f"sqlite:///{scratch}/conversations.db",
        )
        model = prepare(Database(scratch_settings.database_url))
        reference = train(config=without_encoder())
        times = training_times() if args.training else None
        run_bench(
            model, reference, scratch_settings, rounds=args.rounds, per_resident=args.per_resident, training=times
        )
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    rt = sub.add_parser("route", help="JSONL questions on stdin -> topic, action, entry, citations")
    rt.add_argument("--model", type=Path, help="a trained model (default: train or reuse the current one)")
    rt.set_defaults(func=route)

    e = sub.add_parser("eval", help="print routing figures, or NLU cross-validation")
    e.add_argument("data", type=Path, nargs="*", help="JSONL files of labelled questions (default: the dev files)")
    e.add_argument("--model", type=Path)
    e.add_argument("--cross-validation", action="store_true")
    e.add_argument("--statutes", action="store_true", help="statute retrieval: Recall@5 and MRR@5 against BM25")
    e.add_argument(
        "--typos",
        action="store_true",
        help="the questions holding a legal term, the term mistyped by a homophone (default: the paraphrase files)",
    )
    e.add_argument("--folds", type=int, default=3)
    e.set_defaults(func=evaluate)

    st = sub.add_parser("statutes", help="the statute database").add_subparsers(dest="statutes_command", required=True)
    ss = st.add_parser("search", help="Civil Code articles relevant to a question")
    ss.add_argument("question", nargs="?", help="the question (or --jsonl on stdin)")
    ss.add_argument("-k", type=int, default=5)
    ss.add_argument("--jsonl", action="store_true", help='JSONL in/out like `route`, adding "articles"')
    ss.add_argument("--model", type=Path)
    ss.set_defaults(func=statutes_search)

    b = sub.add_parser(
        "bench", help="speed of the message path beside Rasa's defaults and a bare rasa run; saves JSON and PNG"
    )
    b.add_argument("--per-resident", type=int, default=10, help="messages each simulated resident sends")
    b.add_argument("--tracker-store", help="an SQLAlchemy URL for the conversations (default: a scratch SQLite file)")
    b.add_argument("--rounds", type=int, default=3, help="rounds, each running every configuration afresh")
    b.add_argument(
        "--training",
        action="store_true",
        help="also time two full trainings, from a cold and from a warm embedding cache (~10 min)",
    )
    b.set_defaults(func=bench)
