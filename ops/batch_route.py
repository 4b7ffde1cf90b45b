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
from collections.abc import Awaitable, Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from actions.decision import decide
from actions.entry_choice import candidates
from knowledge import retrieval
from knowledge.content import published_index
from knowledge.retrieval import Hints
from nlu.parse import ENTRY_MATCHES
from storage.db import Database

MATCHED_ENTRIES = 3  # entries whose citations may lift an article's rank


class BatchRouter:
    """The trained NLU model and the published entries, loaded once."""

    def __init__(self, model: Path, db: Database):
        from rasa.core.agent import Agent  # heavy import, only where a model is used
        from rasa.utils.log_utils import configure_structlog

        # Rasa's log handlers (created here) and TensorFlow's and jieba's progress would otherwise
        # write to stdout, where only JSONL may go.
        with contextlib.redirect_stdout(sys.stderr):
            configure_structlog(logging.WARNING)
            self._agent = Agent.load(str(model))
        with db.session() as s:
            self._entries = published_index(s)

    async def parse(self, text: str) -> dict:
        return await self._agent.parse_message(text)

    async def route(self, text: str) -> dict:
        return decide(await self.parse(text), self._entries).contract()

    async def retrieval_hints(self, text: str) -> Hints:
        """What routing knows that helps find the question's articles (knowledge/retrieval.py)."""
        parse = await self.parse(text)
        topic = decide(parse, self._entries).topic
        selector = [(c.slug, c.selector) for c in candidates(parse, self._entries, topic) if c.selector]
        selector = selector[:MATCHED_ENTRIES]
        close = [(m["entry"], m.get("z", 0.0)) for m in parse.get(ENTRY_MATCHES) or []]
        return Hints(
            topic=topic,
            selector_entries=[(self._entries[slug], conf) for slug, conf in selector],
            close_entries=[(self._entries[slug], z) for slug, z in close if slug in self._entries],
        )

    async def articles(self, text: str, k: int = 5) -> dict:
        """Civil Code articles for the question, helped by what routing knows about it."""
        hints = await self.retrieval_hints(text)
        return {"articles": [found.as_dict() for found in retrieval.search(text, k, hints)]}


Annotate = Callable[[str], Awaitable[dict]]


def route_lines(annotate: Annotate, lines: Iterable[str]) -> Iterator[dict]:
    """One output record per input line, in order: the input's fields plus ``annotate(text)``;
    a bad line yields an error record, not a gap."""
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
            yield {**record, **loop.run_until_complete(annotate(record["text"]))}
    finally:
        loop.close()


def run(router: BatchRouter, source: IO[str], sink: IO[str], annotate: Annotate) -> None:
    """JSONL in, JSONL out (legalbot route, legalbot statutes search --jsonl)."""
    # jieba and Rasa print progress on stdout; only JSONL may reach the sink.
    with contextlib.redirect_stdout(sys.stderr):
        for result in route_lines(annotate, source):
            sink.write(json.dumps(result, ensure_ascii=False) + "\n")
            sink.flush()
