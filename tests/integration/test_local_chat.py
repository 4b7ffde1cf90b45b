"""`legalbot run` with the local chat, as a person at a terminal uses it: it starts without a
warning printed into the chat, and Ctrl-C stops the servers at once, with no Enter needed, even
when it was started by a process that ignores SIGINT (a shell script's background job: the
ignored signal is inherited)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

from config.settings import PROJECT_ROOT
from ops.servers import free_ports
from texts.residents import LOCAL_CHAT_WELCOME


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _wait(condition, timeout: float, what: str) -> float:
    """Seconds until ``condition`` held (it is checked every tenth of a second)."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise TimeoutError(what)
        time.sleep(0.1)
    return time.monotonic() - start


def test_ctrl_c_stops_the_servers_at_once_and_the_chat_starts_without_warnings(tmp_path: Path):
    names = ("rasa", "action", "model", "console")
    ports = dict(zip(names, free_ports(len(names)), strict=True))
    env = {
        **{k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'legalbot.db'}",
        "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'conversations.db'}",
        "REDIS_KEY_PREFIX": f"test{uuid.uuid4().hex[:12]}",
        "LEGALBOT_RASA_WORKERS": "1",
        "LEGALBOT_MODEL_PORT": str(ports["model"]),
        "LEGALBOT_CONSOLE_PORT": str(ports["console"]),
        "PYTHONUNBUFFERED": "1",
    }
    out, err = tmp_path / "stdout", tmp_path / "stderr"

    def opened() -> bool:
        return LOCAL_CHAT_WELCOME in out.read_text()

    command = [sys.executable, "-m", "ops.cli", "run", "--port", str(ports["rasa"])]
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(
            [*command, "--action-port", str(ports["action"])],
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.PIPE,  # a terminal nobody types into: no Enter will come
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
            stdout=stdout,
            stderr=stderr,
        )
        try:
            _wait(lambda: opened() or process.poll() is not None, 900, f"the chat did not open:\n{err.read_text()}")
            assert opened(), f"legalbot run ended ({process.returncode}) before the chat opened:\n{err.read_text()}"
            assert all(_listening(port) for port in ports.values())
            process.send_signal(signal.SIGINT)
            try:
                closed = _wait(lambda: not any(_listening(port) for port in ports.values()), 120, "")
            except TimeoutError:
                still = [name for name, port in ports.items() if _listening(port)]
                raise TimeoutError(f"still listening 120 s after Ctrl-C: {still}\n{err.read_text()[-3000:]}") from None
            process.wait(timeout=60)
            print(f"\nCtrl-C to every port closed: {closed:.1f} s")
        finally:
            if process.poll() is None:
                process.kill()
    output = err.read_text() + out.read_text()
    assert "Warning" not in output, output
    assert "Traceback" not in output, output
