"""`legalbot chat`: talk to the running assistant in a terminal; buttons become numbers."""

from __future__ import annotations

import asyncio
import sys
import uuid

from bot.router import AssistantUnavailable, Router
from texts import residents
from texts.reply import Reply

RETRY_DELAYS = (5, 15, 30)


def show(replies: list[Reply], out=sys.stdout) -> list[dict]:
    """Print the replies; return the buttons of the last one that has any, numbered from 1."""
    buttons: list[dict] = []
    for reply in replies:
        if reply.text:
            print(f"{residents.LOCAL_CHAT_ASSISTANT}{reply.text}", file=out)
        if reply.buttons:
            buttons = reply.buttons
            for number, button in enumerate(buttons, 1):
                print(f"  [{number}] {button['title']}", file=out)
    return buttons


def to_message(line: str, buttons: list[dict]) -> str:
    """A number picks a button (its payload is sent); anything else is sent as typed."""
    if line.isdigit() and 1 <= int(line) <= len(buttons):
        return buttons[int(line) - 1]["payload"]
    return line


async def send(router: Router, sender: str, message: str) -> list[Reply]:
    """Send, and if the assistant is down keep the message and resend it, never dropping it."""
    for delay in RETRY_DELAYS:
        try:
            return await router.handle(sender, message)
        except AssistantUnavailable:
            print(residents.LOCAL_CHAT_BUSY.format(delay=delay))
            await asyncio.sleep(delay)
    return await router.handle(sender, message)


async def chat(router: Router) -> None:
    """Talk through ``router`` until /quit or the end of input; the router is closed after."""
    sender = f"local-{uuid.uuid4().hex[:8]}"
    print(residents.LOCAL_CHAT_WELCOME)
    buttons: list[dict] = []
    loop = asyncio.get_running_loop()
    try:
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line or line.strip() == "/quit":
                break
            line = line.strip()
            if not line:
                print(residents.LOCAL_CHAT_EMPTY)
                continue
            try:
                buttons = show(await send(router, sender, to_message(line, buttons))) or []
            except AssistantUnavailable:
                print(residents.LOCAL_CHAT_GAVE_UP)
    finally:
        await router.aclose()
