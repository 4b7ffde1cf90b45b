"""`legalbot chat`: talk to the running assistant in a terminal; buttons become numbers."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
import uuid

from bot.router import CANCEL, FORGET, REQUEST_HUMAN, RESTART, AssistantUnavailable, Inbound, Router
from texts import residents
from texts.reply import Reply

RETRY_DELAYS = (5, 15, 30)
COMMANDS = {
    "/cancel": CANCEL,
    "/human": REQUEST_HUMAN,
    "/restart": RESTART,
    "/forget": FORGET,
}  # as Telegram's command menu
BUTTON = Inbound(typed=False)


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


def to_message(line: str, buttons: list[dict]) -> tuple[str, Inbound]:
    """A number picks a button (its payload is sent), a command is a command; anything else
    is sent as typed."""
    if line.isdigit() and 1 <= int(line) <= len(buttons):
        return buttons[int(line) - 1]["payload"], BUTTON
    if line in COMMANDS:
        return COMMANDS[line], BUTTON
    return line, Inbound()


async def send(router: Router, sender: str, message: tuple[str, Inbound]) -> list[Reply]:
    """Send, and if the assistant is down keep the message and resend it, never dropping it."""
    for delay in RETRY_DELAYS:
        try:
            return await router.handle(sender, *message)
        except AssistantUnavailable:
            print(residents.LOCAL_CHAT_BUSY.format(delay=delay))
            await asyncio.sleep(delay)
    return await router.handle(sender, *message)


def typed_lines() -> asyncio.Queue[str]:
    """Standard input's lines as they are typed ("" at its end), read by a daemon thread. A
    thread of the event loop's executor would keep `legalbot run`, and its servers, alive after
    Ctrl-C until Enter was pressed: asyncio.run waits for the executor's threads."""
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str] = asyncio.Queue()

    def read() -> None:
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody is listening any more
            for line in iter(sys.stdin.readline, ""):
                loop.call_soon_threadsafe(lines.put_nowait, line)
            loop.call_soon_threadsafe(lines.put_nowait, "")

    threading.Thread(target=read, name="local-chat-input", daemon=True).start()
    return lines


async def chat(router: Router) -> None:
    """Talk through ``router`` until /quit or the end of input; the router is closed after."""
    sender = f"local-{uuid.uuid4().hex[:8]}"
    print(residents.LOCAL_CHAT_WELCOME)
    buttons: list[dict] = []
    lines = typed_lines()
    try:
        while True:
            line = await lines.get()
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
