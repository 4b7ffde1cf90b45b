"""`legalbot route`, `chat`, `statutes` and `train` as a user runs them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from config.settings import PROJECT_ROOT

LEGALBOT = [sys.executable, "-m", "ops.cli"]


def run(core, args: list[str], stdin: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": core.database_url}
    return subprocess.run(
        LEGALBOT + args, input=stdin, capture_output=True, text=True, cwd=PROJECT_ROOT, env=env, timeout=300, check=True
    )


def test_route_writes_one_line_per_input_in_order_with_the_contract_fields(core):
    lines = [
        json.dumps({"id": "a", "text": "民法典第1134条"}, ensure_ascii=False),
        "this is not json",
        json.dumps({"id": "c", "text": "醉驾被查到会不会坐牢", "topic": "other.legal"}, ensure_ascii=False),
    ]
    out = run(core, ["route", "--model", str(core.model)], "\n".join(lines) + "\n").stdout.splitlines()
    records = [json.loads(line) for line in out]
    assert len(records) == 3
    assert records[0]["id"] == "a" and records[0]["action"] == "article" and records[0]["topic"] == "civil.inheritance"
    assert records[0]["citations"] == [{"law": "中华人民共和国民法典", "article": 1134}]
    assert records[1] == {"line": 2, "error": records[1]["error"]} and "JSON" in records[1]["error"]
    assert records[2]["id"] == "c" and records[2]["topic"] == "other.legal" and records[2]["entry"] is None
    for record in (records[0], records[2]):
        assert set(record) >= {"text", "topic", "action", "entry", "citations", "confidence"}


def test_route_refers_questions_nearer_the_examples_of_another_law_than_any_entry(core):
    """No word of actions/other_law.py names another law in these, and the classifier ranks one of
    the assistant's topics first: before the example matcher compared them with the other-law
    examples, each got a clarifying question offering entries (a tourism question offered elderly
    rights, a performer's rights inheritance)."""
    questions = ["导游要负啲咩责任", "一间厂生产的产品要达到什么质量标准", "单位安排我演出，录像的权利归边个"]
    stdin = "".join(json.dumps({"text": q}, ensure_ascii=False) + "\n" for q in questions)
    out = run(core, ["route", "--model", str(core.model)], stdin).stdout.splitlines()
    decisions = [(r["topic"], r["action"], r["entry"]) for r in map(json.loads, out)]
    assert decisions == [("other.legal", "handoff", None)] * len(questions)


def test_the_local_chat_shows_buttons_as_numbers_and_sends_the_chosen_payload(core):
    out = run(core, ["chat", "--url", core.url], "你好\n民法典第1134条\n醉驾被查到会不会坐牢\n2\n/quit\n").stdout
    assert "您好" in out
    assert "自书遗嘱由遗嘱人亲笔书写" in out
    assert "[1] 要，请法律顾问联系我" in out and "[2] 不用了" in out
    assert "还有其他问题" in out  # "2" sent the 不用了 payload


def test_statutes_search_in_batch_adds_articles_to_each_line(core):
    lines = [json.dumps({"id": 1, "text": "被邻居家的狗咬伤了，谁来赔医药费"}, ensure_ascii=False), "{}"]
    out = run(core, ["statutes", "search", "--jsonl", "--model", str(core.model)], "\n".join(lines) + "\n")
    first, second = [json.loads(line) for line in out.stdout.splitlines()]
    assert first["id"] == 1 and len(first["articles"]) == 5
    assert all(set(a) == {"law", "article", "score"} for a in first["articles"])
    assert any(1245 <= a["article"] <= 1251 for a in first["articles"])  # the chapter on animals
    assert "error" in second


def test_statutes_search_prints_the_articles(core):
    out = run(core, ["statutes", "search", "自书遗嘱要怎么写", "-k", "3", "--model", str(core.model)], "").stdout
    assert out.count("《中华人民共和国民法典》") == 3


def test_train_generates_the_training_data_it_needs(core):
    """On a fresh clone the knowledge intents (nlu/kb, generated from the content) do not exist
    yet; `legalbot train` makes them, then finds the model the session already trained."""
    shutil.rmtree(PROJECT_ROOT / "nlu" / "kb")
    out = run(core, ["train"], "").stdout
    assert out.strip() == f"model: {core.model}"
    assert any((PROJECT_ROOT / "nlu" / "kb").iterdir())
