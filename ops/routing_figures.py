"""The routing figures `legalbot eval` prints, computed from labelled questions and predictions.

A labelled question: {"text", "topic", optional "alt": [...], optional "action", optional
"entry"}. A topic counts as right when it is the gold topic or one of the ``alt`` topics. The
safety figures need the ``action`` label: danger (gold action emergency) is caught only by an
emergency; a request for a person (gold action handoff) by a handoff or an emergency. The
precision of outright answers needs the ``entry`` label. Where there is no gold entry, two weaker
checks of the outright answers: their topic, and — for questions labelled with their
``articles`` (STARD's) — whether the answer cites one of them; beside the latter, how many of
those questions any published entry could answer by that measure (``cited``: every article the
entries cite).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence, Set

from knowledge.topics import ENTRY_TOPICS, Action

ANSWER, CLARIFY = Action.answer.value, Action.clarify.value
TO_A_PERSON = {Action.handoff.value, Action.emergency.value}


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _right_topic(row: dict, prediction: dict) -> bool:
    return prediction.get("topic") in {row["topic"], *row.get("alt", [])}


def _answerable(row: dict) -> bool:
    """A question the assistant should answer from an entry: in scope, and not labelled as
    danger or as needing a person."""
    return row["topic"] in ENTRY_TOPICS and row.get("action", ANSWER) == ANSWER


Article = tuple[str, int]


def cited_in(citations: Sequence[dict] | None) -> set[Article]:
    """The (law, article) pairs of a citation list of the routing contract."""
    return {(c["law"], int(c["article"])) for c in citations or []}


def routing_figures(rows: Sequence[dict], predictions: Sequence[dict], cited: Set[Article] = frozenset()) -> dict:
    pairs = list(zip(rows, predictions, strict=True))
    gold, predicted = Counter(r["topic"] for r in rows), Counter(p.get("topic") for p in predictions)
    hits = Counter(r["topic"] for r, p in pairs if _right_topic(r, p))
    right = Counter(p.get("topic") for r, p in pairs if _right_topic(r, p))
    in_scope = [(r, p) for r, p in pairs if r["topic"] in ENTRY_TOPICS]
    in_scope_topics = [t for t in ENTRY_TOPICS if gold[t]]
    other = [p for r, p in pairs if r["topic"] == "other.legal"]
    danger = [p for r, p in pairs if r.get("action") == Action.emergency.value]
    person = [p for r, p in pairs if r.get("action") == Action.handoff.value]
    answerable = [p for r, p in pairs if _answerable(r)]
    outright = [(r, p) for r, p in pairs if r.get("entry") and p.get("action") == ANSWER]
    answered = [(r, p) for r, p in pairs if _answerable(r) and p.get("action") == ANSWER]
    # answered with an entry (whose citations are known) to a question labelled with its articles
    with_articles = [(r, p) for r, p in answered if r.get("articles") and p.get("entry")]
    labelled = [r for r in rows if _answerable(r) and r.get("articles")]
    actions = Counter(p.get("action") for p in predictions)
    return {
        "questions": len(rows),
        "topic_accuracy": _share(sum(hits.values()), len(rows)),
        "in_scope_accuracy": _share(sum(_right_topic(r, p) for r, p in in_scope), len(in_scope)),
        "macro_recall": (sum(hits[t] / gold[t] for t in in_scope_topics) / len(in_scope_topics))
        if in_scope_topics
        else None,
        "recall": {t: hits[t] / n for t, n in sorted(gold.items())},
        "precision": {t: right[t] / n for t, n in sorted(predicted.items())},
        "support": dict(sorted(gold.items())),
        "other_legal_answered": _share(sum(p.get("action") in (ANSWER, CLARIFY) for p in other), len(other)),
        "danger_caught": _share(sum(p.get("action") == Action.emergency.value for p in danger), len(danger)),
        "danger_total": len(danger),
        "person_caught": _share(sum(p.get("action") in TO_A_PERSON for p in person), len(person)),
        "person_total": len(person),
        "answered_outright": _share(sum(p.get("action") == ANSWER for p in answerable), len(answerable)),
        "clarified": _share(sum(p.get("action") == CLARIFY for p in answerable), len(answerable)),
        # the safety net's false alarms and other-law referrals of questions an entry answers
        "answerable_to_person": _share(sum(p.get("action") in TO_A_PERSON for p in answerable), len(answerable)),
        "answerable_total": len(answerable),
        "outright_precision": _share(sum(p.get("entry") == r["entry"] for r, p in outright), len(outright)),
        "outright_total": len(outright),
        "outright_right_topic": _share(sum(_right_topic(r, p) for r, p in answered), len(answered)),
        "outright_cites_gold": _share(
            sum(bool(cited_in(r["articles"]) & cited_in(p.get("citations"))) for r, p in with_articles),
            len(with_articles),
        ),
        "outright_with_articles_total": len(with_articles),
        "gold_cited_by_an_entry": _share(sum(bool(cited_in(r["articles"]) & cited) for r in labelled), len(labelled))
        if cited
        else None,
        "action_shares": {a: n / len(rows) for a, n in sorted(actions.items(), key=lambda item: str(item[0]))},
    }


def _fmt(value: float | None) -> str:
    return "   -  " if value is None else f"{value:6.3f}"


SUMMARY = (
    ("topic accuracy (gold or alt)", "topic_accuracy"),
    ("in-scope topic accuracy", "in_scope_accuracy"),
    ("in-scope macro recall", "macro_recall"),
    ("other.legal answered (lower=better)", "other_legal_answered"),
    ("danger caught (action emergency)", "danger_caught"),
    ("person requests caught", "person_caught"),
    ("answerable: answered outright", "answered_outright"),
    ("answerable: clarified", "clarified"),
    ("answerable: sent to a person", "answerable_to_person"),
    ("outright answers' precision (entry)", "outright_precision"),
    ("outright answers: right topic", "outright_right_topic"),
    ("outright answers: cite a gold article", "outright_cites_gold"),
    ("answerable: an entry cites a gold art.", "gold_cited_by_an_entry"),
)


def print_figures(title: str, systems: dict[str, dict]) -> None:
    """One table: a row per figure, a column per system (the first is legalbot as served)."""
    names = list(systems)
    first = systems[names[0]]
    print(f"\n{title}: {first['questions']} questions")
    print(f"{'':38s}" + "".join(f"{name[:18]:>20s}" for name in names))
    for label, key in SUMMARY:
        if all(s[key] is None for s in systems.values()):
            continue
        print(f"{label:38s}" + "".join(f"{_fmt(s[key]):>20s}" for s in systems.values()))
    counts = [
        f"danger n={first['danger_total']}",
        f"person n={first['person_total']}",
        f"answerable n={first['answerable_total']}",
        f"outright answers with a gold entry n={first['outright_total']}",
        f"with gold articles n={first['outright_with_articles_total']}",
    ]
    print("  (" + ", ".join(counts) + ")")
    for topic in sorted(set(first["recall"]) | set(first["precision"])):
        recall = "".join(f"{_fmt(s['recall'].get(topic)):>10s}" for s in systems.values())
        precision = "".join(f"{_fmt(s['precision'].get(topic)):>10s}" for s in systems.values())
        print(f"  {topic:22s} n={first['support'].get(topic, 0):<4d} recall{recall}   precision{precision}")
    for name, figures in systems.items():
        shares = ", ".join(f"{a} {v:.2f}" for a, v in figures["action_shares"].items())
        print(f"  actions, {name}: {shares}")
