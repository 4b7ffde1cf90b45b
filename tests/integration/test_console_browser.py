"""The knowledge console in a real headless Chromium, as the 普法 team uses it: an editor changes
an answer (a wrong citation is caught as it is typed and blocks review), a reviewer publishes it,
Try it gets the new answer from the real assistant at once, a rollback restores the old one
through review, and an Excel file with one bad row names that row."""

from __future__ import annotations

import io
import time

from openpyxl import Workbook
from playwright.sync_api import expect

from console.models import Role
from console.spreadsheet import COLUMNS
from knowledge.content import published_index, read_content
from tests.integration.console_helpers import add_people, log_in

SLUG = "inherit-conflicting-wills"
QUESTION = next(s.examples[0] for s in read_content() if s.slug == SLUG)


def test_write_review_publish_try_and_roll_back(core, served_console, browser, tmp_path):
    base = served_console.url
    people = add_people(core.db, "browser")
    editor = browser.new_page()
    log_in(editor, base, people[Role.editor])

    editor.goto(f"{base}/entries/{SLUG}/edit")
    answer = editor.locator("textarea[name=answer]")
    original = answer.input_value()
    answer.fill("【已更新】" + original)
    row = editor.locator(".citation-row").last
    row.locator("input[name=law]").fill("中华人民共和国婚姻法")
    row.locator("input[name=article]").fill("32")
    expect(row.locator(".citation-result.bad")).to_contain_text("废止")  # checked as it is typed
    editor.click("#entry-form button[name=save]")
    expect(editor.locator("#problems")).to_contain_text("婚姻法")
    expect(editor.locator("#submit")).to_be_disabled()

    editor.click("#edit")
    row = editor.locator(".citation-row").filter(has=editor.locator("input[value='中华人民共和国婚姻法']"))
    row.locator("input[name=law]").fill("中华人民共和国民法典")
    row.locator("input[name=article]").fill("1133")
    expect(row.locator(".citation-result.ok")).to_contain_text("自然人可以依照本法规定立遗嘱")
    editor.click("#entry-form button[name=save]")
    editor.click("#submit")
    expect(editor.locator("#status")).to_have_text("待审核")
    expect(editor.locator("#approve")).to_have_count(0)  # an editor cannot publish

    reviewer = browser.new_page()
    log_in(reviewer, base, people[Role.reviewer])
    reviewer.goto(f"{base}/entries/{SLUG}")
    published_at = time.monotonic()
    reviewer.click("#approve")
    expect(reviewer.locator("#status")).to_have_text("已发布")

    reviewer.goto(f"{base}/try")
    reviewer.fill("#ask input[name=message]", QUESTION)
    reviewer.click("#ask button")
    expect(reviewer.locator(".chat .bot").last).to_contain_text("【已更新】")
    print(f"\npublish to live for an answer-only change (through the browser): {time.monotonic() - published_at:.2f} s")
    expect(reviewer.locator(".answered-by").last).to_have_text(SLUG)
    expect(reviewer.locator(".chat .why").last).to_contain_text("把握")

    editor.goto(f"{base}/entries/{SLUG}")
    editor.locator(".rollback-1").click()  # revision 1: the shipped content
    expect(editor.locator("#status")).to_have_text("草稿")
    expect(editor.locator("#answer")).to_have_text(original)
    editor.click("#submit")
    reviewer.goto(f"{base}/entries/{SLUG}")
    reviewer.click("#approve")
    expect(reviewer.locator("#status")).to_have_text("已发布")
    with core.db.session() as s:
        assert published_index(s, {SLUG})[SLUG].answer == original

    book = Workbook()
    book.active.append(COLUMNS)
    good = [
        "inherit-browser-good",
        "civil.inheritance",
        "标题",
        "以最后的遗嘱为准。",
        "\n".join(f"问{i}" for i in range(8)),
    ]
    book.active.append([*good, "中华人民共和国民法典|1142"])
    book.active.append(["inherit-browser-bad", *good[1:], "中华人民共和国继承法|16"])
    path = tmp_path / "entries.xlsx"
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    editor.goto(f"{base}/transfer")
    editor.set_input_files("#import input[type=file]", str(path))
    editor.click("#import button")
    expect(editor.locator("#import-errors")).to_contain_text("第3行")
    expect(editor.locator("#import-errors")).to_contain_text("继承法")
    expect(editor.locator("#import-errors")).not_to_contain_text("第2行")
