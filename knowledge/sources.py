"""The register of legal sources beyond the national statute database: Supreme People's Court
interpretations, State Council regulations, local regulations and rules, official notices.

One YAML file per document in knowledge/sources/, with its issuer, number, dates, status and
provenance, and the verbatim text of the provisions the content cites. A citation of a document
in the register is checked against it exactly as a national law is checked against the statute
database; a repealed or superseded document may not be cited.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import cn2an
import yaml

SOURCES_DIR = Path(__file__).resolve().parent / "sources"
KINDS = (
    "judicial_interpretation",
    "administrative_regulation",
    "departmental_rule",
    "local_regulation",
    "local_government_rule",
    "normative_document",
)
JURISDICTIONS = ("national", "guangdong", "guangzhou", "shenzhen")
REQUIRED = ("id", "title", "kind", "issuer", "jurisdiction", "status", "checked", "provenance", "articles")


class SourceStatus(str, enum.Enum):
    in_force = "in_force"
    repealed = "repealed"
    superseded = "superseded"


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    kind: str
    issuer: str
    jurisdiction: str
    status: SourceStatus
    checked: date
    provenance: dict
    articles: dict[int, str]
    number: str | None = None
    issued: date | None = None
    effective: date | None = None
    amended: tuple[dict, ...] = ()
    status_note: str | None = None
    superseded_by: str | None = None
    unit: str = "条"
    path: Path = field(default=SOURCES_DIR, compare=False)

    @property
    def in_force(self) -> bool:
        return self.status == SourceStatus.in_force

    def label(self, number: int) -> str:
        """第二十五条 (or 第三项 for a notice numbered 一、二、三)."""
        return f"第{cn2an.an2cn(number)}{self.unit}"


def title_key(title: str) -> str:
    """Titles compare without book-title marks and with full- and half-width brackets alike."""
    return unicodedata.normalize("NFKC", title).strip().strip("《》").replace(" ", "")


def _source(path: Path, raw: dict) -> Source:
    return Source(
        id=str(raw["id"]),
        title=str(raw["title"]),
        kind=str(raw["kind"]),
        issuer=str(raw["issuer"]),
        jurisdiction=str(raw["jurisdiction"]),
        status=SourceStatus(raw["status"]),
        checked=raw["checked"],
        provenance=dict(raw["provenance"] or {}),
        articles={int(k): str(v).strip() for k, v in (raw.get("articles") or {}).items()},
        number=raw.get("number"),
        issued=raw.get("issued"),
        effective=raw.get("effective"),
        amended=tuple(raw.get("amended") or ()),
        status_note=raw.get("status_note"),
        superseded_by=raw.get("superseded_by"),
        unit=str(raw.get("unit") or "条"),
        path=path,
    )


def read_register(directory: Path = SOURCES_DIR) -> tuple[list[Source], list[str]]:
    """Every document of the register, and the problems of the files that could not be read."""
    sources, problems = [], []
    for path in sorted(directory.glob("*.yml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        missing = [name for name in REQUIRED if name not in raw]
        if missing:
            problems.append(f"{path.name}: missing {', '.join(missing)}")
            continue
        try:
            sources.append(_source(path, raw))
        except (ValueError, TypeError) as error:
            problems.append(f"{path.name}: {error}")
    return sources, problems


def register_problems(sources: list[Source]) -> list[str]:
    """What makes the register itself unfit: unknown kinds or places, a file whose id is not its
    name, a document out of force without saying by what, a text in force without provenance."""
    ids = {s.id for s in sources}
    problems = []
    for s in sources:
        where = s.path.name
        if s.path.stem != s.id:
            problems.append(f"{where}: id {s.id!r} is not the file's name")
        if s.kind not in KINDS:
            problems.append(f"{where}: unknown kind {s.kind!r}")
        if s.jurisdiction not in JURISDICTIONS:
            problems.append(f"{where}: unknown jurisdiction {s.jurisdiction!r}")
        if not s.in_force and not s.status_note:
            problems.append(f"{where}: a document {s.status.value} needs a status_note saying by what and since when")
        if s.superseded_by and s.superseded_by not in ids:
            problems.append(f"{where}: superseded_by {s.superseded_by!r} is not in the register")
        if s.in_force and not s.provenance.get("text_from"):
            problems.append(f"{where}: the provenance of the text (text_from) is required")
        if s.in_force and not s.articles:
            problems.append(f"{where}: a document in force is registered for the provisions it is cited for")
    titles: dict[str, str] = {}
    for s in sources:
        if title_key(s.title) in titles:
            problems.append(f"{s.path.name}: the title is also registered in {titles[title_key(s.title)]}")
        titles[title_key(s.title)] = s.path.name
    return problems


@lru_cache(maxsize=1)
def _by_title() -> dict[str, Source]:
    return {title_key(s.title): s for s in read_register()[0]}


def find_source(title: str) -> Source | None:
    """The registered document with this title (as cited), if any."""
    return _by_title().get(title_key(title))


def titles_in_force() -> list[str]:
    """The titles of the registered documents that may be cited, for a form's suggestions."""
    return sorted(s.title for s in _by_title().values() if s.in_force)


def source_by_id(source_id: str) -> Source | None:
    return next((s for s in _by_title().values() if s.id == source_id), None)
