"""The case summary an adviser reads before taking a case: what, where, what the resident said,
what the assistant already answered, and Civil Code articles that may apply."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from handoff.models import Adviser, Case, CaseOffer, Village
from knowledge import retrieval
from knowledge.topics import TOPICS

REASONS = {"request": "居民要求找顾问", "offer_accepted": "助手答不了，居民同意找顾问",
           "emergency": "紧急情况", "failed_turns": "助手两次没听懂"}
RESIDENT_LINES = 3
ANSWER_CHARS = 160
RELATED_ARTICLES = 3


def resident_said(case: Case) -> list[str]:
    """The resident's last few messages before the request (buttons and commands left out)."""
    said = [t["text"] for t in case.transcript if t.get("from") == "resident" and not t["text"].startswith("/")]
    return said[-RESIDENT_LINES:]


def assistant_answer(case: Case) -> str | None:
    answers = [t["text"] for t in case.transcript if t.get("from") == "assistant" and "法律依据" in t["text"]]
    if not answers:
        return None
    answer = answers[-1]
    return answer if len(answer) <= ANSWER_CHARS else answer[:ANSWER_CHARS] + "…"


def related_articles(case: Case, question: str) -> str | None:
    if not question or not (case.topic.startswith("civil.") or case.topic == "other.legal"):
        return None
    topic = case.topic if case.topic.startswith("civil.") else None
    articles = retrieval.related_articles(question, topic, k=RELATED_ARTICLES)
    return retrieval.article_lines(articles) if articles else None


def previous_advisers(session: Session, case: Case) -> list[str]:
    """Advisers who held this case before it was given back (e.g. taken off duty)."""
    query = (select(Adviser.name).join(CaseOffer, CaseOffer.adviser_id == Adviser.id)
             .where(CaseOffer.case_id == case.id, CaseOffer.outcome == "taken").order_by(CaseOffer.id))
    return list(session.scalars(query))


def summary(session: Session, case: Case) -> str:
    village = session.get(Village, case.village_id) if case.village_id else None
    where = f"{village.district}{village.town or ''}{village.name}" if village else f"{case.district or '区不详'}（村居不详）"
    said = resident_said(case)
    lines = [f"话题：{TOPICS.get(case.topic, case.topic)}", f"地点：{where}",
             f"原因：{REASONS.get(case.reason, case.reason)}",
             "居民说：" + (" / ".join(said) if said else "（没有文字）")]
    answer = assistant_answer(case)
    lines.append("助手已答：" + (answer if answer else "（没有给出答案）"))
    before = previous_advisers(session, case)
    if before:
        lines.append(f"此前接手的顾问：{'、'.join(before)}（已交回，可向其了解情况）")
    related = related_articles(case, " ".join(said))
    if related:
        lines.append("可能相关的条文（检索结果，仅供参考）：\n" + related)
    return "\n".join(lines)
