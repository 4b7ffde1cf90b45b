"""What residents asked (grouped, masked, turned into a draft) and the login limits."""

from __future__ import annotations

from datetime import timedelta

from knowledge.records import record_consultation, sender_hash
from knowledge.revisions import newest_revisions
from storage.db import utcnow
from tests.console.conftest import PASSWORD, log_in, token

ID_CARD = "11010519491231002X"


def test_unanswered_questions_are_grouped_masked_and_start_a_draft(app, console_db):
    with console_db.session() as s, s.begin():
        for text in ("邻居的狗咬了我怎么赔", "邻居家的狗咬了我谁来赔", f"邻居的狗咬了我，我身份证{ID_CARD}"):
            record_consultation(s, "h1", text, "civil.tort", "clarify", None, 0.2, [])
        record_consultation(s, "h2", "醉驾会不会坐牢", "other.legal", "handoff", None, 0.9, [])
        tester = sender_hash("console-editor1", "test-key")  # the team's own Try it: left out
        record_consultation(s, tester, "试一试的问题", "other.legal", "handoff", None, 0.9, [])
        record_consultation(s, "h3", "离婚", "civil.marriage", "clarify", None, 0.3, ["a-b", "c-d"])  # had choices
        old = record_consultation(s, "h4", "很久以前的问题", "civil.tort", "clarify", None, 0.1, [])
        s.flush()
        old.at = utcnow() - timedelta(weeks=20)
    client = app.test_client()
    csrf = log_in(client, "editor1")
    page = client.get("/asked").get_data(as_text=True)
    assert "邻居家的狗咬了我谁来赔" in page and "醉驾会不会坐牢" in page
    assert ID_CARD not in page and "110***********002X" in page
    assert "离婚" not in page.split("<section")[1] and "很久以前" not in page and "试一试的问题" not in page
    assert "<svg" in page and "<rect" in page
    ids = [i for i in page.split("<section")[1].split('name="id" value="')[1:]]
    response = client.post("/asked/draft", data={"csrf_token": csrf, "id": [i.split('"')[0] for i in ids]})
    assert response.status_code == 302
    with console_db.session() as s:
        drafts = [r for r in newest_revisions(s).values() if r.status == "draft"]
    assert len(drafts) == 1 and drafts[0].content["topic"] == "civil.tort"
    assert {"邻居的狗咬了我怎么赔", "邻居家的狗咬了我谁来赔"} <= set(drafts[0].content["examples"])
    assert not any(ID_CARD in q for q in drafts[0].content["examples"])


def test_login_attempts_are_limited_per_account_across_processes(app, console_db):
    from console.app import create_app

    client = app.test_client()
    for _ in range(5):
        response = client.post("/login", data={"name": "editor1", "password": "wrong", "csrf_token": token(client)})
        assert response.status_code == 401
    other_process = create_app(app.extensions["legalbot"].settings, console_db).test_client()
    response = other_process.post(
        "/login", data={"name": "editor1", "password": PASSWORD, "csrf_token": token(other_process)}
    )
    assert response.status_code == 429
    assert app.test_client().get("/entries").status_code == 302


def test_the_session_cookie_is_http_only_and_same_site(app):
    client = app.test_client()
    response = client.post("/login", data={"name": "editor1", "password": PASSWORD, "csrf_token": token(client)})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
