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
    predictions = list(route_lines(ModelRouter(model), (json.dumps({"text": r["text"]}) for r in rows)))
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
