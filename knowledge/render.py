"""How an entry reads to a resident: the answer, its legal basis, and how to reach a person."""
from __future__ import annotations

from itertools import groupby

from knowledge.models import Citation, Entry
from knowledge.statutes import article_label

PERSON_LINE = "如需人工帮助：回复“转人工”，由村居法律顾问跟进；也可拨打12348公共法律服务热线。"


def legal_basis(citations: list[Citation]) -> str:
    """《中华人民共和国民法典》第一千一百三十四条、第一千一百三十五条；《…》第…条"""
    parts = []
    for law, group in groupby(citations, key=lambda c: c.law):
        group = list(group)
        if group[0].source == "local":
            parts.append(f"《{law}》（{group[0].number}，广州/广东地方规定，具体以当地部门解释为准）")
        else:
            parts.append(f"《{law}》" + "、".join(article_label(c.article) for c in group))
    return "；".join(parts)


def render_answer(entry: Entry) -> str:
    return f"{entry.answer.strip()}\n\n法律依据：{legal_basis(entry.citations)}\n\n{PERSON_LINE}"


def citation_dicts(entry: Entry) -> list[dict]:
    """The routing contract's citation list: statute articles only (local rules have no article)."""
    return [{"law": c.law, "article": c.article} for c in entry.citations if c.source == "statute"]
