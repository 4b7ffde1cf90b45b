"""What the bench reads besides load figures: the time from an edited answer to a resident
receiving it, and the resident set size of every server process."""

from __future__ import annotations

import random
import time
from pathlib import Path

import httpx
from sqlalchemy import select, update

from knowledge.models import Entry
from ops.servers import Servers
from storage.db import Database


async def edit_to_live(url: str, db: Database) -> float:
    """Seconds from an answer's edit in the database to a resident receiving the edited text."""
    with db.session() as s:
        entry = s.scalars(select(Entry).where(Entry.slug == "notary-fee-reduction")).one()
        original = entry.answer
    marker = f"【{random.randrange(10**6)}】"
    async with httpx.AsyncClient(timeout=60) as client:
        try:
            with db.session() as s, s.begin():
                s.execute(update(Entry).where(Entry.id == entry.id).values(answer=marker + original))
            edited = time.monotonic()
            while True:
                reply = (
                    await client.post(
                        f"{url}/webhooks/rest/webhook",
                        json={"sender": "bench-edit", "message": '/choose_entry{"entry": "notary-fee-reduction"}'},
                    )
                ).json()
                if any(marker in (m.get("text") or "") for m in reply):
                    return time.monotonic() - edited
        finally:
            with db.session() as s, s.begin():
                s.execute(update(Entry).where(Entry.id == entry.id).values(answer=original))


def _rss(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def _children(pid: int) -> list[int]:
    tasks = Path(f"/proc/{pid}/task")
    return [int(c) for task in tasks.iterdir() for c in (task / "children").read_text().split()]


def rss_mb(servers: Servers) -> dict:
    """Each server's resident set size; a server with worker processes (Rasa's Sanic workers)
    also gets its largest process and the total of all."""
    sizes: dict = {}
    for name, process in servers.processes.items():
        workers = _children(process.pid)
        sizes[name] = _rss(process.pid)
        if workers:
            each = [_rss(pid) for pid in workers]
            sizes[f"{name}, largest of {len(workers)} workers"] = max(each)
            sizes[f"{name}, all processes"] = round(sizes[name] + sum(each), 1)
    return sizes
