"""The entry pages through HTTP: the citation check as it is typed, review by someone else,
retraining only when the training data changes, and a failed training that changes nothing."""

from __future__ import annotations

from sqlalchemy import select

from handoff.models import AuditEntry
from knowledge.content import published_index
from knowledge.models import TrainingRun
from knowledge.releases import current_model, release
from tests.console.conftest import log_in
from tests.test_content import spec

SLUG = "inherit-test-entry"


def check(client, **citation) -> dict:
    return client.get("/api/citation", query_string=citation).get_json()


def test_a_citation_is_checked_as_kb_check_does_and_explained_in_chinese(app):
    client = app.test_client()
    log_in(client, "editor1")
    ok = check(client, law="中华人民共和国民法典", article="1142")
    assert ok["ok"] and "以最后的遗嘱为准" in ok["text"]
    repealed = check(client, law="中华人民共和国婚姻法", article="32")
    assert (repealed["fault"], repealed["ok"]) == ("repealed", False) and "民法典" in repealed["message"]
    assert check(client, law="中华人民共和国民法典", article="1300")["fault"] == "not_in_force"
    quote = check(client, law="中华人民共和国民法典", article="1142", quote="公证遗嘱效力优先")
    assert quote["fault"] == "quote_differs" and "以最后的遗嘱为准" in quote["text"]
    short = check(client, law="民法典", article="1142")
    assert short["fault"] == "not_in_force" and "中华人民共和国民法典" in short["suggestion"]


def edit(client, csrf, **changes) -> None:
    content = {**spec().content(), **changes}
    data = {
        "csrf_token": csrf,
        "topic": content["topic"],
        "title": content["title"],
        "answer": content["answer"],
        "examples": "\n".join(content["examples"]),
        "law": [c["law"] for c in content["citations"]],
        "article": [str(c["article"]) for c in content["citations"]],
        "quote": [""] * len(content["citations"]),
        "source": ["statute"] * len(content["citations"]),
        "number": [""] * len(content["citations"]),
    }
    assert client.post(f"/entries/{SLUG}/edit", data=data).status_code == 302


def test_an_answer_change_is_published_by_another_reviewer_without_retraining(app, console_db):
    editor, reviewer = app.test_client(), app.test_client()
    csrf = log_in(editor, "editor1")
    edit(editor, csrf, answer="新的回答。")
    editor.post(f"/entries/{SLUG}/submit", data={"csrf_token": csrf})
    assert editor.post(f"/entries/{SLUG}/approve", data={"csrf_token": csrf}).status_code == 403
    review = log_in(reviewer, "reviewer1")
    page = reviewer.post(f"/entries/{SLUG}/approve", data={"csrf_token": review}, follow_redirects=True)
    assert "已发布" in page.get_data(as_text=True) and "重新训练" not in page.get_data(as_text=True)
    with console_db.session() as s:
        assert published_index(s)[SLUG].answer == "新的回答。"
        assert s.scalars(select(TrainingRun)).all() == []
        actions = [(a.actor, a.action) for a in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert ("console:editor1", "entry_submit") in actions and ("console:reviewer1", "entry_approve") in actions


def test_a_reviewer_cannot_publish_their_own_change(app, console_db):
    client = app.test_client()
    csrf = log_in(client, "reviewer1")
    edit(client, csrf, answer="我自己改的。")
    client.post(f"/entries/{SLUG}/submit", data={"csrf_token": csrf})
    page = client.get(f"/entries/{SLUG}").get_data(as_text=True)
    assert "需要另一位审核人" in page and 'id="approve"' not in page
    client.post(f"/entries/{SLUG}/approve", data={"csrf_token": csrf})
    with console_db.session() as s:
        assert published_index(s)[SLUG].answer == spec().answer


def test_changed_examples_retrain_and_a_failed_training_keeps_the_old_model(app, console_db, tmp_path):
    serving = tmp_path / "legalbot-0123456789abcdef.tar.gz"
    with console_db.session() as s, s.begin():
        release(s, serving, "legalbot run")
    editor, reviewer = app.test_client(), app.test_client()
    csrf = log_in(editor, "editor1")
    edit(editor, csrf, examples=[*spec().examples, "新的问法"])
    editor.post(f"/entries/{SLUG}/submit", data={"csrf_token": csrf})
    review = log_in(reviewer, "reviewer2")
    page = reviewer.post(f"/entries/{SLUG}/approve", data={"csrf_token": review}, follow_redirects=True)
    assert "重新训练" in page.get_data(as_text=True)
    app.extensions["legalbot"].retrainer.wait(60)
    training = reviewer.get("/training").get_data(as_text=True)
    assert "训练失败" in training and "no training in unit tests" in training
    assert reviewer.get("/api/training").get_json()["status"] == "failed"
    with console_db.session() as s:
        assert current_model(s) == serving  # nothing new released: the old model keeps serving
