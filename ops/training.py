"""From the shipped content to a trained model: load the reviewed entries into the database,
generate the knowledge intents' training data from them, and train if anything changed."""

from __future__ import annotations

import sys
from pathlib import Path

from config.settings import PROJECT_ROOT
from knowledge.content import ContentError, LoadReport, load, read_content
from knowledge.dense_index import civil_code_vectors
from knowledge.training_data import build
from nlu.train import train
from storage.db import Database

CONTENT_DIR = PROJECT_ROOT / "knowledge" / "content"


def load_content(db: Database, directory: Path = CONTENT_DIR) -> LoadReport:
    """Check and publish the shipped content; raises ContentError (with every problem) if it is
    unfit. Entries edited in the console are left as they are, with a warning naming them."""
    with db.session() as s, s.begin():
        report = load(s, read_content(directory))
    print(f"knowledge base {db.url}: " + ", ".join(f"{k} {v}" for k, v in report.counts.items()), file=sys.stderr)
    if report.skipped:
        print(
            f"warning: {len(report.skipped)} entries were edited in the knowledge console and keep the console's "
            f"version (the shipped content does not overwrite them): {', '.join(report.skipped)}",
            file=sys.stderr,
        )
    return report


def build_training_data(db: Database) -> Path:
    with db.session() as s:
        return build(s)


def prepare(db: Database, force: bool = False) -> Path:
    """Load the content, regenerate the training data, train if anything changed (or ``force``).
    Status goes to stderr, so that commands writing JSONL on stdout (route) stay clean."""
    try:
        load_content(db)
    except ContentError as error:
        print("\n".join(error.problems), file=sys.stderr)
        raise SystemExit(f"Nothing loaded: {len(error.problems)} problems in the content.") from error
    print(f"wrote {build_training_data(db)}", file=sys.stderr)
    civil_code_vectors()  # computed once per machine, so no server pays for it on a resident's message
    return train(force=force)
