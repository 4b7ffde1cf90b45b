"""How an entry reads to a resident: the answer, its legal basis, and how to reach a person."""

from __future__ import annotations

from itertools import groupby

from knowledge.citations import label
from knowledge.models import Citation, Entry
from texts import residents


def legal_basis(citations: list[Citation]) -> str:
    """《中华人民共和国民法典》第一千一百三十四条、第一千一百三十五条；《最高人民法院关于…的规定》第二十五条"""
    parts = []
    for law, grouped in groupby(citations, key=lambda c: c.law):
        cites = [c for c in grouped if c.article is not None]
        parts.append(f"《{law}》" + "、".join(label(law, c.article) for c in cites))
    return "；".join(parts)


def render_answer(entry: Entry) -> str:
    return f"{entry.answer.strip()}\n\n{residents.LEGAL_BASIS}{legal_basis(entry.citations)}\n\n{residents.PERSON_LINE}"


def citation_dicts(entry: Entry) -> list[dict]:
    """The routing contract's citation list: every cited provision, national or registered."""
    return [{"law": c.law, "article": c.article} for c in entry.citations if c.article is not None]
