"""The loads the bench sends: simulated residents who wait for each reply (a closed loop),
messages at a constant rate whether or not earlier ones were answered (an open loop), NLU
parsing alone, and one resident over many conversation sessions or one long one. Each returns
its figures. Every load talks as residents new to the database, so that a round does not carry
on the conversations of the rounds before it."""

from __future__ import annotations

import asyncio
import random
import time

import httpx
from sqlalchemy import select

from knowledge.models import Entry, EntryStatus, Example
from storage.db import Database


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
    run_id = random.randrange(10**9)
    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=200)) as client:
        tasks, started = [], time.monotonic()
        for i in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, started + i / rate - time.monotonic()))
            sender = f"rate-{run_id}-{i % 50}"
            tasks.append(asyncio.create_task(_post(client, url, sender, texts[i % len(texts)], latencies)))
        await asyncio.gather(*tasks)
    return {"rate": rate, "messages": len(latencies), **percentiles(latencies)}


async def long_history(
    url: str, token: str, texts: list[str], sessions: int, per_session: int, window: int = 10
) -> dict:
    """One resident's message latency over their first and their last ``window`` messages, sent
    in ``sessions`` conversation sessions (each begun as after an hour's silence) of
    ``per_session`` messages: does a long history, or a long session, slow a message down?"""
    sender, latencies = f"history-{random.randrange(10**9)}", []
    async with httpx.AsyncClient(timeout=60) as client:
        for number in range(sessions):
            if number:
                (
                    await client.post(
                        f"{url}/conversations/{sender}/tracker/events",
                        params={"token": token},
                        json=[
                            {"event": "action", "name": "action_session_start"},
                            {"event": "session_started"},
                            {"event": "action", "name": "action_listen"},
                        ],
                    )
                ).raise_for_status()
            for i in range(per_session):
                await _post(client, url, sender, texts[(number * per_session + i) % len(texts)], latencies)
    first, last = sorted(latencies[:window]), sorted(latencies[-window:])
    return {
        "sessions": sessions,
        "per_session": per_session,
        "window": window,
        "first_p50_ms": round(first[len(first) // 2] * 1000, 1),
        "last_p50_ms": round(last[len(last) // 2] * 1000, 1),
    }


async def parse_only(url: str, token: str, texts: list[str]) -> dict:
    latencies: list[float] = []
    async with httpx.AsyncClient(timeout=60) as client:
        for text in texts:
            started = time.monotonic()
            (await client.post(f"{url}/model/parse", params={"token": token}, json={"text": text})).raise_for_status()
            latencies.append(time.monotonic() - started)
    return {"messages": len(latencies), **percentiles(latencies)}
