"""Entries in and out of files: YAML in the shipped format (knowledge/content/*.yml, one file
per topic, several in a .zip) and Excel (.xlsx, one row per entry). Every row is checked with
the same checks as `legalbot kb check`, and each problem names its row."""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass

import yaml
from openpyxl import Workbook, load_workbook

from console.forms import citation_from, lines
from knowledge.content import CitationSpec, EntrySpec, check
from texts import console as t

COLUMNS = ("slug", "topic", "title", "answer", "examples", "citations")


class FileProblems(ValueError):
    """The file cannot be imported; ``problems`` name each row and what is wrong with it."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Parsed:
    where: str  # 第3行, or the YAML file and slug
    spec: EntrySpec


def _citation_line(text: str) -> CitationSpec:
    parts = [p.strip() for p in text.split("|")] + ["", ""]
    return citation_from(parts[0], parts[1], parts[2])


def _citation_text(c: CitationSpec) -> str:
    return "|".join([c.law, str(c.article or ""), c.quote or ""]).rstrip("|")


def _cell(value: object) -> str:
    return "" if value is None else str(value).strip()


def read_xlsx(data: bytes) -> list[Parsed]:
    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
    rows = list(sheet.iter_rows(values_only=True)) if sheet is not None else []
    if not rows or [_cell(v).lower() for v in rows[0][: len(COLUMNS)]] != list(COLUMNS):
        raise FileProblems([f"{t.ROW.format(row=1)}: " + " | ".join(COLUMNS)])
    parsed = []
    for number, row in enumerate(rows[1:], start=2):
        values = dict(zip(COLUMNS, [_cell(v) for v in row[: len(COLUMNS)]], strict=False))
        if not any(values.values()):
            continue
        spec = EntrySpec(
            slug=values.get("slug", ""),
            topic=values.get("topic", ""),
            title=values.get("title", ""),
            answer=values.get("answer", "").replace("\r\n", "\n"),
            examples=lines(values.get("examples", "")),
            citations=[_citation_line(x) for x in lines(values.get("citations", ""))],
        )
        parsed.append(Parsed(t.ROW.format(row=number), spec))
    return parsed


def _read_yaml_doc(text: str, name: str) -> list[Parsed]:
    doc = yaml.safe_load(text) or {}
    topic = doc.get("topic", "")
    return [
        Parsed(f"{name}: {raw.get('slug', '?')}", EntrySpec.from_content({**raw, "topic": topic}))
        for raw in doc.get("entries") or []
    ]


def read_yaml(data: bytes, name: str) -> list[Parsed]:
    """One topic file, or a .zip of them."""
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [
                p
                for member in sorted(archive.namelist())
                if member.endswith((".yml", ".yaml"))
                for p in _read_yaml_doc(archive.read(member).decode("utf-8"), member)
            ]
    return _read_yaml_doc(data.decode("utf-8"), name)


def read_file(data: bytes, name: str) -> list[EntrySpec]:
    """The entries of an uploaded file, each checked; raises FileProblems naming every bad row."""
    try:
        parsed = read_xlsx(data) if name.endswith(".xlsx") else read_yaml(data, name)
    except (yaml.YAMLError, zipfile.BadZipFile, UnicodeDecodeError, KeyError, TypeError, ValueError) as error:
        if isinstance(error, FileProblems):
            raise
        raise FileProblems([f"{name}: {error}"]) from error
    problems = []
    for p in parsed:
        problems += [f"{p.where}: {problem.split(': ', 1)[-1]}" for problem in check([p.spec])]
    slugs = [p.spec.slug for p in parsed]
    problems += [
        f"{p.where}: {p.spec.slug} ×{slugs.count(p.spec.slug)}" for p in parsed if slugs.count(p.spec.slug) > 1
    ]
    if problems:
        raise FileProblems(problems)
    return [p.spec for p in parsed]


def write_xlsx(specs: list[EntrySpec]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None, "a new workbook has a sheet"
    sheet.append(COLUMNS)
    for s in specs:
        sheet.append(
            [
                s.slug,
                s.topic,
                s.title,
                s.answer,
                "\n".join(s.examples),
                "\n".join(_citation_text(c) for c in s.citations),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_yaml_zip(specs: list[EntrySpec]) -> bytes:
    """One file per topic in the shipped format."""
    by_topic: dict[str, list[dict]] = defaultdict(list)
    for s in specs:
        entry = {k: v for k, v in s.content().items() if k != "topic"}
        entry["citations"] = [
            {k: v for k, v in c.items() if v is not None and (k, v) != ("source", "statute")}
            for c in entry["citations"]
        ]
        by_topic[s.topic].append(entry)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for topic, entries in sorted(by_topic.items()):
            text = yaml.safe_dump({"topic": topic, "entries": entries}, allow_unicode=True, sort_keys=False, width=1000)
            archive.writestr(f"{topic}.yml", text)
    return out.getvalue()
