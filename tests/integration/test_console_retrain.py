"""Publishing through the console reaches residents on every Rasa worker: an answer-only change
at once, a new entry after the automatic retrain, while the assistant keeps answering. Runs its
own core (two workers pulling from the model server every 2 s) on its own knowledge base, so the
retrained model never reaches the other tests. Prints the time from publish to live (not asserted)."""

from __future__ import annotations

import dataclasses
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from config.settings import Settings, stored_secret
from console.app import create_app
from console.models import Role
from console.retrain import Retrainer
from knowledge.content import read_content
from knowledge.models import Consultation, TrainingRun
from knowledge.records import sender_hash
from knowledge.releases import model_key_of
from knowledge.revisions import newest
from ops.servers import free_ports, running_core
from ops.training import prepare
from storage.db import Database
from tests.integration.conftest import Core
from tests.integration.console_helpers import PASSWORD, add_people

WORKERS = 2
KNOWN = next(s.examples[0] for s in read_content() if s.slug == "inherit-conflicting-wills")
NEW = {
    "slug": "property-found-lost-item",
    "topic": "civil.property",
    "title": "捡到别人的东西怎么办",
    "answer": "\n".join(
        [
            "不可以据为己有：捡到的东西要还给失主。",
            "1. 能联系上失主的，及时通知他来领；",
            "2. 联系不上的，交给派出所等有关部门；",
            "3. 交出去之前要妥善保管，故意弄坏要赔；",
            "4. 失主领取时要付保管的必要费用，答应过悬赏的要兑现；",
            "5. 招领公告一年没人认领的，归国家所有。",
        ]
    ),
    "examples": [
        "在街上捡到一个钱包，可以自己留着吗",
        "捡到别人的手机要交给谁",
        "执到银包唔还会唔会犯法",
        "捡到东西交给派出所，失主要给我报酬吗",
        "拾到遗失物一直没人认领，最后归谁",
        "我捡到一条金项链，失主说要悬赏，能要赏金吗",
        "撿到錢包要不要還",
        "路边捡了个包，里面有现金和身份证，怎么处理",
        "捡到东西放在家里弄坏了要赔吗",
        "别人捡了我丢的东西不还我怎么办",
    ],
    "citations": [{"law": "中华人民共和国民法典", "article": n} for n in (314, 316, 317, 318)],
}


@pytest.fixture(scope="module")
def own_core(tmp_path_factory) -> Core:
    base = Settings.from_env()
    settings = dataclasses.replace(
        base,
        database_url=f"sqlite:///{tmp_path_factory.mktemp('retrain-db') / 'legalbot.db'}",
        tracker_store_url=f"sqlite:///{tmp_path_factory.mktemp('retrain-conv') / 'conversations.db'}",
        redis=dataclasses.replace(base.redis, key_prefix=f"test{uuid.uuid4().hex[:12]}"),
        rasa_workers=WORKERS,
        model_pull_seconds=2,
    )
    model = prepare(Database(settings.database_url))
    logs = tmp_path_factory.mktemp("retrain-logs")
    rasa_port, action_port, model_port = free_ports(3)
    with running_core(
        model, settings, log_dir=logs, rasa_port=rasa_port, action_port=action_port, model_port=model_port
    ) as servers:
        yield Core(servers.url, settings.database_url, model, settings, servers.model_url)


def say(url: str, text: str, sender: str) -> list[dict]:
    response = httpx.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=120)
    response.raise_for_status()
    return response.json()


class KeepAsking(threading.Thread):
    """A resident asking a known question every half second, recording each outcome."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.stop, self.outcomes = url, threading.Event(), []

    def run(self) -> None:
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                ok = "以最后" in "".join(m.get("text", "") for m in say(self.url, KNOWN, f"steady-{uuid.uuid4().hex}"))
            except httpx.HTTPError:
                ok = False
            self.outcomes.append((ok, time.monotonic() - started))
            self.stop.wait(0.5)


def all_workers_serve(model_url: str, key: str, since: float) -> bool:
    """Each worker downloaded the released model, and every worker's latest pull already names it."""
    pulls = [p for p in httpx.get(f"{model_url}/pulls", timeout=5).json()["pulls"] if p["at"] >= since]
    downloads = [p for p in pulls if p["status"] == 200]
    return (
        len(downloads) >= WORKERS and len(pulls) >= 2 * WORKERS and all(p["sent"] == key for p in pulls[-2 * WORKERS :])
    )


def publish(app, people, content: dict, new: bool) -> float:
    """Write, submit and approve through the console's HTTP routes; returns when it was approved."""
    from tests.console.conftest import token

    editor, reviewer = app.test_client(), app.test_client()
    for client, role in ((editor, Role.editor), (reviewer, Role.reviewer)):
        client.post("/login", data={"name": people[role], "password": PASSWORD, "csrf_token": token(client)})
    csrf = token(editor, "/entries")
    form = {
        "csrf_token": csrf,
        **{k: content[k] for k in ("slug", "topic", "title", "answer")},
        "examples": "\n".join(content["examples"]),
        "law": [c["law"] for c in content["citations"]],
        "article": [str(c["article"]) for c in content["citations"]],
    }
    path = "/entries/new" if new else f"/entries/{content['slug']}/edit"
    assert editor.post(path, data=form).status_code == 302
    assert editor.post(f"/entries/{content['slug']}/submit", data={"csrf_token": csrf}).status_code == 302
    approved = reviewer.post(f"/entries/{content['slug']}/approve", data={"csrf_token": token(reviewer, "/entries")})
    assert approved.status_code == 302
    approved_at = time.monotonic()
    with Database(app.extensions["legalbot"].settings.database_url).session() as s:
        assert newest(s, content["slug"]).status == "published"
    return approved_at


def test_a_new_entry_reaches_every_worker_after_the_retrain_while_the_assistant_answers(own_core, tmp_path):
    db = own_core.db
    app = create_app(
        own_core.settings,
        db,
        rasa_url=own_core.url,
        model_url=own_core.model_url,
        retrainer=Retrainer(db, log=tmp_path / "training.log"),
    )
    people = add_people(db, "retrain")
    before = say(own_core.url, NEW["examples"][0], "before")
    assert NEW["answer"][:8] not in "".join(m.get("text", "") for m in before)

    asking = KeepAsking(own_core.url)
    asking.start()
    since = time.time()
    published = publish(app, people, NEW, new=True)
    app.extensions["legalbot"].retrainer.wait(3600)
    trained = time.monotonic()
    with db.session() as s:
        run = s.scalars(select(TrainingRun).order_by(TrainingRun.id.desc())).first()
    assert run.status == "succeeded", run.error
    key = model_key_of(Path(run.model))
    deadline = time.monotonic() + 900  # each worker loads in turn: minutes on a busy machine
    while not all_workers_serve(own_core.model_url, key, since):
        pulls = httpx.get(f"{own_core.model_url}/pulls", timeout=5).json()["pulls"][-8:]
        assert time.monotonic() < deadline, f"the workers did not all load the new model: {pulls}"
        time.sleep(1)
    live = time.monotonic()
    time.sleep(3)  # and a little more: the assistant keeps answering after the swap
    asking.stop.set()
    asking.join()

    with ThreadPoolExecutor(8) as pool:
        replies = list(pool.map(lambda i: say(own_core.url, NEW["examples"][i % 10], f"after-{i}"), range(24)))
    assert all(NEW["answer"][:8] in "".join(m.get("text", "") for m in r) for r in replies)
    key_of_senders = own_core.settings.sender_hash_key or stored_secret("sender-hash-key")
    senders = {sender_hash(f"after-{i}", key_of_senders): i for i in range(24)}
    deadline = time.monotonic() + 30  # the action server writes the records beside its replies
    while True:
        with db.session() as s:
            records = s.scalars(select(Consultation).where(Consultation.sender_hash.in_(senders))).all()
        if len(records) >= 24 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert sorted((senders[r.sender_hash], r.entry_slug) for r in records) == [(i, NEW["slug"]) for i in range(24)]

    failures = [latency for ok, latency in asking.outcomes if not ok]
    assert asking.outcomes and not failures, f"{len(failures)} of {len(asking.outcomes)} questions failed"
    slowest = max(latency for _, latency in asking.outcomes)

    changed = {**NEW, "answer": "【改】" + NEW["answer"]}
    approved = publish(app, people, changed, new=False)
    reply = say(own_core.url, NEW["examples"][1], "answer-only")
    answer_live = time.monotonic() - approved
    assert "【改】" in "".join(m.get("text", "") for m in reply)
    print(
        f"\npublish to live, new entry: trained in {trained - published:.0f} s, on all {WORKERS} workers after "
        f"{live - published:.0f} s; {len(asking.outcomes)} questions during the retrain, none failed, slowest "
        f"{slowest:.1f} s\npublish to live, answer-only change: {answer_live:.2f} s (the next message)"
    )
