"""Import and export: Excel and the shipped YAML format; every row checked, imports become drafts."""

from __future__ import annotations

import io
import zipfile

import yaml
from openpyxl import Workbook, load_workbook

from console.spreadsheet import COLUMNS
from knowledge.revisions import history
from tests.console.conftest import log_in
from tests.test_content import spec


def workbook(*rows) -> bytes:
    book = Workbook()
    book.active.append(COLUMNS)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(slug: str, citations: str = "中华人民共和国民法典|1142|以最后的遗嘱为准", **changes) -> list[str]:
    base = spec(slug=slug)
    values = (
        dict(slug=slug, topic=base.topic, title="标题", answer=base.answer, examples="\n".join(base.examples)) | changes
    )
    return [values["slug"], values["topic"], values["title"], values["answer"], values["examples"], citations]


def upload(client, csrf, data: bytes, name: str):
    return client.post(
        "/import", data={"csrf_token": csrf, "file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def test_an_xlsx_with_one_bad_row_names_it_and_imports_nothing(app, console_db):
    client = app.test_client()
    csrf = log_in(client, "editor1")
    data = workbook(row("inherit-new-one"), row("inherit-new-two", "中华人民共和国婚姻法|32"))
    response = upload(client, csrf, data, "entries.xlsx")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "第3行" in page and "婚姻法" in page and "第2行" not in page
    with console_db.session() as s:
        assert history(s, "inherit-new-one") == []


def test_an_import_makes_drafts_and_new_revisions_never_overwrites(app, console_db):
    client = app.test_client()
    csrf = log_in(client, "editor1")
    data = workbook(row("inherit-new-one"), row("inherit-test-entry", answer="导入的新回答。"))
    assert upload(client, csrf, data, "entries.xlsx").status_code == 302
    with console_db.session() as s:
        assert [r.status for r in history(s, "inherit-new-one")] == ["draft"]
        revisions = history(s, "inherit-test-entry")
        assert [r.status for r in revisions] == ["published", "draft"]
        assert revisions[-1].content["answer"] == "导入的新回答。" and revisions[-1].author == "editor1"


def test_the_exports_read_back_as_the_published_entries(app):
    client = app.test_client()
    log_in(client, "editor1")
    sheet = load_workbook(io.BytesIO(client.get("/export.xlsx").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == COLUMNS and {r[0] for r in rows[1:]} == {"inherit-test-entry", "inherit-other-entry"}
    assert rows[1][5] == "中华人民共和国民法典|1142"
    with zipfile.ZipFile(io.BytesIO(client.get("/export.zip").data)) as archive:
        doc = yaml.safe_load(archive.read("civil.inheritance.yml"))
    assert doc["topic"] == "civil.inheritance" and len(doc["entries"]) == 2
    assert doc["entries"][0]["citations"] == [{"law": "中华人民共和国民法典", "article": 1142}]


def test_the_exports_mask_personal_numbers_in_example_questions(app, console_db):
    from sqlalchemy import select

    from knowledge.models import Entry, Example

    with console_db.session() as s, s.begin():
        entry = s.scalars(select(Entry).where(Entry.slug == "inherit-test-entry")).one()
        s.add(Example(entry_id=entry.id, position=99, text="我身份证11010519491231002X，手机13812345678，遗嘱听哪份"))
    client = app.test_client()
    log_in(client, "editor1")
    sheet = load_workbook(io.BytesIO(client.get("/export.xlsx").data)).active
    examples = "\n".join(r[4] for r in sheet.iter_rows(min_row=2, values_only=True))
    with zipfile.ZipFile(io.BytesIO(client.get("/export.zip").data)) as archive:
        exported = archive.read("civil.inheritance.yml").decode()
    for text in (examples, exported):
        assert "我身份证110***********002X，手机138****5678，遗嘱听哪份" in text
        assert "11010519491231002X" not in text and "13812345678" not in text
