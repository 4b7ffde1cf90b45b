"""`legalbot bench`: the speed of the whole message path, beside Rasa's defaults and a bare server.

Four configurations, each started afresh in every round, the rounds interleaving them (their
order rotates) so that a machine that is busier at one moment does not favour one of them:

- full: legalbot as served (Rasa workers sharing conversations and locks, the action server,
  the database), through the REST webhook;
- default: the same bot served the way a plain `rasa run` serves it (one Sanic worker,
  in-memory tracker and lock stores): what our deployment settings buy;
- bare: a `rasa run` of the same model without the action server: what Rasa alone costs;
- bare without encoder: the same pipeline without the sentence encoder: what the encoder costs.

Every figure is measured in every round and reported as the median with its spread (min–max).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from config.settings import PROJECT_ROOT, VAR, Settings
from ops.bench.load import closed_loop, long_history, open_loop, parse_only, questions
from ops.bench.probes import edit_to_live, rss_mb
from ops.bench.report import report, summarize
from ops.servers import PLAIN_RASA, Servers, free_ports, rasa_run, running, running_core, server_env
from storage.db import Database

CONCURRENCY = (1, 10, 50)
TARGET_RATE = 20  # messages per second for the latency target (p99 <= 300 ms)
CONFIGURATIONS = ("full", "default", "bare", "bare without encoder")


@contextlib.contextmanager
def _bare(model: Path, settings: Settings) -> Iterator[Servers]:
    """A rasa run of ``model`` with no action server and Rasa's default stores."""
    port, action_port, model_port = free_ports(3)
    no_endpoints = VAR / "bench-no-endpoints.yml"
    no_endpoints.parent.mkdir(parents=True, exist_ok=True)
    no_endpoints.write_text("{}\n")
    url = f"http://127.0.0.1:{port}"
    env = {**server_env(settings, action_port, model_port), "SANIC_WORKERS": "1"}
    token = settings.rasa_api_token()
    command = rasa_run(model, port, token, "--endpoints", str(no_endpoints), rasa=PLAIN_RASA)
    with running({"Rasa server": (command, url + "/")}, env, url, VAR / "log", 240) as servers:
        servers.token = token
        yield servers


def _servers(name: str, model: Path, reference: Path, settings: Settings) -> contextlib.AbstractContextManager:
    if name == "full":
        return running_core(model, settings, *free_ports(2), timeout=240)
    if name == "default":
        return running_core(model, settings, *free_ports(2), timeout=240, rasa_defaults=True)
    return _bare(model if name == "bare" else reference, settings)


def _measure(name: str, servers: Servers, texts: list[str], per_resident: int, db: Database, first: bool) -> dict:
    url = servers.url
    asyncio.run(closed_loop(url, 1, 5, texts))  # warm-up: first requests load lazily
    figures: dict = {"closed": [asyncio.run(closed_loop(url, c, per_resident, texts)) for c in CONCURRENCY]}
    figures["rss_mb"] = rss_mb(servers)
    if name.startswith("bare"):
        figures["parse"] = asyncio.run(parse_only(url, servers.token, texts[:200]))
    if name == "full":
        figures["rate"] = asyncio.run(open_loop(url, TARGET_RATE, 15, texts))
        if first:  # figures that do not vary with the machine's load: once is enough
            figures["history"] = asyncio.run(long_history(url, servers.token, texts, sessions=10, per_session=10))
            figures["long_session"] = asyncio.run(long_history(url, servers.token, texts, sessions=1, per_session=150))
            figures["edit_to_live_s"] = round(asyncio.run(edit_to_live(url, db)), 3)
    return figures


def bench(
    model: Path,
    reference: Path,
    settings: Settings,
    rounds: int = 3,
    per_resident: int = 10,
    training: dict | None = None,
    out_dir: Path | None = None,
) -> dict:
    """Run every configuration ``rounds`` times, interleaved; print and save the summary.
    ``reference``: the model without the sentence encoder; ``training``: training times, if
    measured (ops/bench/training.py)."""
    db = Database(settings.database_url)
    texts = questions(db, CONCURRENCY[-1] * per_resident)
    measured: dict[str, list[dict]] = defaultdict(list)
    for number in range(rounds):
        order = CONFIGURATIONS[number % len(CONFIGURATIONS) :] + CONFIGURATIONS[: number % len(CONFIGURATIONS)]
        for name in order:
            print(f"round {number + 1} of {rounds}: {name}", flush=True)
            with _servers(name, model, reference, settings) as servers:
                measured[name].append(_measure(name, servers, texts, per_resident, db, first=number == 0))
    summary = summarize(measured, training)
    report(summary, out_dir or PROJECT_ROOT / "results")
    return summary
