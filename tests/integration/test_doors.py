"""Only what must be reachable is: the servers of a running core listen on the loopback interface
only, Rasa's HTTP API and the action server refuse a caller without their token, and a burst of
one resident's messages through the REST channel is answered or told to slow down, never left
hanging, while another resident is answered."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import socket
import time
from pathlib import Path

import httpx
import pytest

from bot.rest.app import PATH
from bot.router import MAX_WAITING
from config.settings import RestSettings
from ops.serve_commands import serve_channels
from ops.servers import free_port
from texts import residents

LISTEN = "0A"  # the TCP state of a listening socket in /proc/net/tcp
LOOPBACK = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1 and ::1, as /proc writes them


def _tree(pid: int) -> list[int]:
    """The process and all its descendants (Rasa's Sanic workers)."""
    children = [int(c) for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()]
    return [pid, *(p for child in children for p in _tree(child))]


def _socket_inodes(pids: list[int]) -> set[str]:
    inodes = set()
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = fd.readlink().name
            except OSError:  # closed meanwhile
                continue
            if target.startswith("socket:["):
                inodes.add(target[len("socket:[") : -1])
    return inodes


def listening_addresses(pid: int) -> list[tuple[str, int]]:
    """(address as /proc writes it, port) of every listening TCP socket the process tree holds."""
    inodes = _socket_inodes(_tree(pid))
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, port = fields[1].split(":")
            if fields[3] == LISTEN and fields[9] in inodes:
                found.append((address, int(port, 16)))
    return found


def test_every_server_listens_on_loopback_only(core):
    for name, pid in core.pids.items():
        addresses = listening_addresses(pid)
        print(f"{name}: listening on {addresses}")
        assert addresses, f"{name} holds no listening socket: the test would prove nothing"
        assert all(address in LOOPBACK for address, _ in addresses), f"{name} listens beyond loopback: {addresses}"


def _own_address() -> str | None:
    """This machine's address on its network, if it has one (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 9))
        except OSError:
            return None
        address = s.getsockname()[0]
    return None if address.startswith("127.") else address


def test_the_servers_cannot_be_reached_through_the_machines_network_address(core):
    address = _own_address()
    if address is None:
        pytest.skip(
            "this machine has no network address besides loopback, so there is no other address to try;"
            " the listening-socket test still checks that every server binds 127.0.0.1 only"
        )
    for _, port in {a for pid in core.pids.values() for a in listening_addresses(pid)}:
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"http://{address}:{port}/", timeout=5)


def test_rasas_http_api_refuses_a_caller_without_the_token(core, sender):
    core.say(sender, "你好")  # the REST channel, used by the router, needs no token
    tracker = f"{core.url}/conversations/{sender}/tracker"
    assert httpx.get(tracker, timeout=30).status_code == 401
    assert httpx.get(tracker, params={"token": "guess"}, timeout=30).status_code == 401
    allowed = httpx.get(tracker, params={"token": core.token}, timeout=30)
    assert allowed.status_code == 200 and allowed.json()["sender_id"] == sender


def test_the_action_server_refuses_a_caller_without_the_token(core):
    [(_, port)] = listening_addresses(core.pids["action server"])
    webhook = f"http://127.0.0.1:{port}/webhook"
    call = {"next_action": "action_no_such_action", "sender_id": "x", "tracker": {}, "domain": {}, "version": "3.6.2"}
    assert httpx.post(webhook, json=call, timeout=30).status_code == 401
    assert httpx.post(webhook, params={"token": "guess"}, json=call, timeout=30).status_code == 401
    assert httpx.get(f"http://127.0.0.1:{port}/actions", timeout=30).status_code == 401
    token = core.settings.action_server_token()
    # With the token the call reaches rasa_sdk's executor, which knows no such action.
    assert httpx.post(webhook, params={"token": token}, json=call, timeout=30).status_code == 404
    actions = httpx.get(f"http://127.0.0.1:{port}/actions", params={"token": token}, timeout=30).json()
    assert {"name": "action_consult"} in actions


async def _until_listening(url: str, client: httpx.AsyncClient) -> None:
    for _ in range(600):
        try:
            await client.get(url)
            return
        except httpx.ConnectError:
            await asyncio.sleep(0.05)
    raise AssertionError(f"the REST channel never listened at {url}")


def test_a_burst_through_the_rest_channel_is_answered_or_told_to_slow_down(core, sender):
    """`legalbot run --no-chat` with LEGALBOT_REST_PORT serves the REST channel; 100 identical
    messages at once from one resident through it, and meanwhile one from another."""
    burst = 100
    settings = dataclasses.replace(core.settings, rest=RestSettings(port=free_port()), telegram=None)
    url = f"http://127.0.0.1:{settings.rest.port}{PATH}"

    async def scenario():
        serving = asyncio.create_task(serve_channels(argparse.Namespace(no_chat=True), settings, core.db, core.url))
        async with httpx.AsyncClient(timeout=300, limits=httpx.Limits(max_connections=200)) as client:
            try:
                await _until_listening(url, client)
                send = lambda who: client.post(url, json={"sender": who, "message": "借钱不还怎么办"})  # noqa: E731
                started = time.monotonic()
                flood = [asyncio.create_task(send(sender)) for _ in range(burst)]
                other = await send(f"{sender}-neighbour")
                still_waiting = sum(not task.done() for task in flood)
                replies = [await task for task in flood]
                return replies, other, still_waiting, time.monotonic() - started
            finally:
                serving.cancel()

    replies, other, still_waiting, seconds = asyncio.run(scenario())
    texts = [r.json()[0]["text"] for r in replies]
    slowed = texts.count(residents.SLOW_DOWN)
    print(
        f"\nburst of {burst}: {burst - slowed} answered, {slowed} told to slow down, the last reply after "
        f"{seconds:.1f} s; the other resident was answered while {still_waiting} of the burst still waited"
    )
    assert all(r.status_code == 200 for r in replies) and all(texts)
    assert residents.NO_REPLY not in texts
    assert burst - slowed >= 1 + MAX_WAITING  # the first and those waiting behind it are answered
    assert other.status_code == 200 and other.json()[0]["text"] not in (residents.SLOW_DOWN, residents.NO_REPLY)
