"""`legalbot bench`: the speed of the whole message path, beside Rasa's defaults.

Simulated residents post to the REST channel (Rasa server → action server → database) and
wait for each reply before the next message. The same load goes to two references: the same
bot served the way a plain `rasa run` serves it (one Sanic worker, in-memory tracker and lock
stores: what our deployment settings buy), and a bare `rasa run` of the same model without
the action server (what Rasa alone costs). Also: NLU parse time alone, a constant 20 messages
per second, one resident's latency after many conversation sessions, resident set size of
each process, training time, and the time from an edited answer to a resident seeing it.
Prints a table; saves JSON and a PNG.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
from pathlib import Path

import httpx
from sqlalchemy import select, update

from config.settings import PROJECT_ROOT, VAR, Settings
from knowledge.models import Entry, EntryStatus, Example
from nlu.train import training_record
from ops.servers import Servers, rasa_run, running, running_core
from storage.db import Database

CONCURRENCY = (1, 10, 50)
#: Each measured configuration: its key in the results and its label in the table and plot.
SETUPS = {"full": "legalbot (full path)", "default": "same bot, rasa defaults", "bare": "bare rasa run (no actions)"}
TARGET_RATE = 20  # messages per second for the latency target (p99 <= 300 ms)


def questions(db: Database, n: int, seed: int = 7) -> list[str]:
    """Residents' questions: example questions of the published entries, in a fixed random order."""
    with db.session() as s:
        texts = list(
            s.scalars(
                select(Example.text).join(Entry).where(Entry.status == EntryStatus.published).order_by(Example.id)
            )
        )
    random.Random(seed).shuffle(texts)
    return [texts[i % len(texts)] for i in range(n)]


def percentiles(latencies: list[float]) -> dict:
    ordered = sorted(latencies)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    return {"p50_ms": round(pick(0.50), 1), "p95_ms": round(pick(0.95), 1), "p99_ms": round(pick(0.99), 1)}


async def _post(client: httpx.AsyncClient, url: str, sender: str, text: str, latencies: list[float]) -> None:
    started = time.monotonic()
    response = await client.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text})
    response.raise_for_status()
    latencies.append(time.monotonic() - started)


async def closed_loop(url: str, residents: int, per_resident: int, texts: list[str]) -> dict:
    """``residents`` concurrent conversations, each sending its next message after the reply."""
    latencies: list[float] = []
    run_id = random.randrange(10**9)

    async def resident(number: int) -> None:
        for i in range(per_resident):
            await _post(
                client, url, f"bench-{run_id}-{number}", texts[(number * per_resident + i) % len(texts)], latencies
            )

    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=residents)) as client:
        started = time.monotonic()
        await asyncio.gather(*(resident(n) for n in range(residents)))
        elapsed = time.monotonic() - started
    return {
        "residents": residents,
        "messages": len(latencies),
        "msgs_per_s": round(len(latencies) / elapsed, 2),
        **percentiles(latencies),
    }


async def open_loop(url: str, rate: float, seconds: float, texts: list[str]) -> dict:
    """Messages arrive at a constant rate whether or not earlier ones were answered."""
    latencies: list[float] = []
    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=200)) as client:
        tasks, started = [], time.monotonic()
        for i in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, started + i / rate - time.monotonic()))
            tasks.append(asyncio.create_task(_post(client, url, f"rate-{i % 50}", texts[i % len(texts)], latencies)))
        await asyncio.gather(*tasks)
    return {"rate": rate, "messages": len(latencies), **percentiles(latencies)}


async def long_history(url: str, texts: list[str], sessions: int = 10, per_session: int = 10) -> dict:
    """One resident's message latency in the first and in the last of ``sessions`` conversation
    sessions (each begun as after an hour's silence): does a long history slow a message down?"""
    sender, latencies = f"history-{random.randrange(10**9)}", []
    async with httpx.AsyncClient(timeout=60) as client:
        for number in range(sessions):
            if number:
                (
                    await client.post(
                        f"{url}/conversations/{sender}/tracker/events",
                        json=[
                            {"event": "action", "name": "action_session_start"},
                            {"event": "session_started"},
                            {"event": "action", "name": "action_listen"},
                        ],
                    )
                ).raise_for_status()
            for i in range(per_session):
                await _post(client, url, sender, texts[number * per_session + i], latencies)
    first, last = sorted(latencies[:per_session]), sorted(latencies[-per_session:])
    return {
        "sessions": sessions,
        "per_session": per_session,
        "first_session_p50_ms": round(first[len(first) // 2] * 1000, 1),
        "last_session_p50_ms": round(last[len(last) // 2] * 1000, 1),
    }


async def parse_only(url: str, texts: list[str]) -> dict:
    latencies: list[float] = []
    async with httpx.AsyncClient(timeout=60) as client:
        for text in texts:
            started = time.monotonic()
            (await client.post(f"{url}/model/parse", json={"text": text})).raise_for_status()
            latencies.append(time.monotonic() - started)
    return {"messages": len(latencies), **percentiles(latencies)}


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


async def measure(url: str, texts: list[str], per_resident: int) -> list[dict]:
    return [await closed_loop(url, c, per_resident, texts) for c in CONCURRENCY]


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    for (key, name), color in zip(SETUPS.items(), ("C0", "C2", "C1"), strict=True):
        rows = results[key]
        xs = [r["residents"] for r in rows]
        left.plot(xs, [r["msgs_per_s"] for r in rows], marker="o", color=color, label=name)
        right.plot(xs, [r["p99_ms"] for r in rows], marker="o", color=color, label=f"{name} p99")
        right.plot(xs, [r["p50_ms"] for r in rows], marker="x", linestyle="--", color=color, label=f"{name} p50")
    left.set(xlabel="concurrent residents", ylabel="messages per second", title="throughput")
    right.set(xlabel="concurrent residents", ylabel="ms", title="latency", yscale="log")
    left.legend()
    right.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def bench(
    model: Path,
    settings: Settings,
    ports: tuple[int, int, int],
    per_resident: int = 10,
    out_dir: Path = PROJECT_ROOT / "results",
) -> dict:
    """Every figure of the bench, on ``settings``' databases (the bench edits an answer)."""
    db = Database(settings.database_url)
    rasa_port, action_port, bare_port = ports
    texts = questions(db, CONCURRENCY[-1] * per_resident)
    results: dict = {}
    with running_core(model, settings, rasa_port, action_port) as servers:
        asyncio.run(closed_loop(servers.url, 1, 5, texts))  # warm-up: first requests load lazily
        results["full"] = asyncio.run(measure(servers.url, texts, per_resident))
        results["rate"] = asyncio.run(open_loop(servers.url, TARGET_RATE, 15, texts))
        results["parse"] = asyncio.run(parse_only(servers.url, texts[:200]))
        results["history"] = asyncio.run(long_history(servers.url, texts))
        results["edit_to_live_s"] = round(asyncio.run(edit_to_live(servers.url, db)), 3)
        results["rss_mb"] = rss_mb(servers)
    with running_core(model, settings, rasa_port, action_port, rasa_defaults=True) as servers:
        asyncio.run(closed_loop(servers.url, 1, 5, texts))
        results["default"] = asyncio.run(measure(servers.url, texts, per_resident))
        results["rss_mb"]["Rasa server, rasa defaults"] = rss_mb(servers)["Rasa server"]
    bare_url = f"http://127.0.0.1:{bare_port}"
    # Empty endpoints: Rasa runs the model's NLU and policies but has no custom action server.
    no_endpoints = VAR / "bench-no-endpoints.yml"
    no_endpoints.write_text("{}\n")
    bare_command = rasa_run(model, bare_port, "--endpoints", str(no_endpoints))
    with running(
        {"bare rasa run": (bare_command, bare_url + "/")}, dict(os.environ), bare_url, VAR / "log", 180
    ) as bare:
        asyncio.run(closed_loop(bare.url, 1, 5, texts))
        results["bare"] = asyncio.run(measure(bare.url, texts, per_resident))
        results["rss_mb"].update(rss_mb(bare))
    record = training_record(model)
    results["training_s"] = json.loads(record.read_text())["seconds"] if record.exists() else None
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "bench.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    plot(results, out_dir / "bench.png")
    report(results)
    print(f"saved {out_dir / 'bench.json'} and {out_dir / 'bench.png'}")
    return results


def report(results: dict) -> None:
    print(f"{'':26s}{'residents':>10s}{'msgs/s':>9s}{'p50 ms':>9s}{'p95 ms':>9s}{'p99 ms':>9s}")
    for key, label in SETUPS.items():
        for row in results[key]:
            print(
                f"{label:26s}{row['residents']:>10d}{row['msgs_per_s']:>9.1f}{row['p50_ms']:>9.0f}"
                f"{row['p95_ms']:>9.0f}{row['p99_ms']:>9.0f}"
            )
    rate = results["rate"]
    print(
        f"constant {rate['rate']} msgs/s for {rate['messages']} messages: p50 {rate['p50_ms']:.0f} ms, "
        f"p99 {rate['p99_ms']:.0f} ms (target: p99 <= 300 ms)"
    )
    ours = results["full"][-1]["msgs_per_s"]
    for key in ("default", "bare"):
        print(
            f"throughput at {CONCURRENCY[-1]} residents, legalbot / {SETUPS[key]}: "
            f"{ours / results[key][-1]['msgs_per_s']:.2f} (target: >= 2)"
        )
    history = results["history"]
    print(
        f"one resident, {history['sessions']} sessions of {history['per_session']} messages: p50 "
        f"{history['first_session_p50_ms']:.0f} ms in the first session, {history['last_session_p50_ms']:.0f} ms "
        "in the last"
    )
    print(f"NLU parse alone: p50 {results['parse']['p50_ms']:.0f} ms, p99 {results['parse']['p99_ms']:.0f} ms")
    print("resident set size (MB):", json.dumps(results["rss_mb"], ensure_ascii=False), "(target: Rasa < 1536)")
    print(
        f"training time: {results['training_s']} s"
        if results["training_s"]
        else "training time: not recorded for this model (train it with `legalbot train --force`)"
    )
    print(f"edited answer live after {results['edit_to_live_s']} s")
