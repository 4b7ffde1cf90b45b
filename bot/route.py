"""`legalbot route`: the routing contract as a batch command (JSONL in, JSONL out).

It loads the same trained model as the live Rasa server and calls the same decision
function as action_consult, so its output is what residents would get.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sys
from pathlib import Path
from typing import IO, Iterable, Iterator

from actions.decision import decide
from knowledge.content import published_index
from knowledge.db import session


class ModelRouter:
    """The trained NLU model and the published entries, loaded once."""

    def __init__(self, model: Path):
        from rasa.core.agent import Agent  # heavy import, only where a model is used
        from rasa.utils.log_utils import configure_structlog

        configure_structlog(logging.WARNING)  # Rasa's per-message debug lines would mix into stdout
        self._agent = Agent.load(str(model))
        with session() as s:
            self._entries = published_index(s)

    async def route(self, text: str) -> dict:
        parse = await self._agent.parse_message(text)
        return decide(parse, self._entries).contract()


def route_lines(router: ModelRouter, lines: Iterable[str]) -> Iterator[dict]:
    """One output record per input line, in order; a bad line yields an error, not a gap."""
    loop = asyncio.new_event_loop()
    try:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                yield {"line": number, "error": f"not valid JSON ({error})"}
                continue
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                yield {"line": number, "error": 'each line must be a JSON object with a "text" string'}
                continue
            yield {**record, **loop.run_until_complete(router.route(record["text"]))}
    finally:
        loop.close()


def run(model: Path, source: IO[str], sink: IO[str]) -> None:
    # jieba and Rasa print progress on stdout; only JSONL may reach the sink.
    with contextlib.redirect_stdout(sys.stderr):
        router = ModelRouter(model)
        for result in route_lines(router, source):
            sink.write(json.dumps(result, ensure_ascii=False) + "\n")
            sink.flush()
