"""Start and stop the two servers of the consultation core: the action server and Rasa."""
from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

from knowledge.db import PROJECT_ROOT


class ServiceError(RuntimeError):
    pass


def _die_with_parent() -> None:
    """In the child: ask Linux to end it when the process that started it dies (PR_SET_PDEATHSIG),
    so a killed `legalbot run` or test session never leaves servers holding their ports."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGTERM)


def _port_free(url: str) -> bool:
    try:
        httpx.get(url, timeout=1)
    except httpx.HTTPError:
        return True
    return False


def _wait_until_up(url: str, process: subprocess.Popen, name: str, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServiceError(f"{name} exited with code {process.returncode}; see {log}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise ServiceError(f"{name} did not answer at {url} within {timeout:.0f} s; see {log}")


@contextmanager
def running_core(model: Path, rasa_port: int = 5005, action_port: int = 5055,
                 log_dir: Path = PROJECT_ROOT / "var" / "log", timeout: float = 180) -> Iterator[str]:
    """Run the action server and the Rasa server (REST channel) until the block ends.

    Yields the Rasa server's base URL. Both inherit this process's environment, so
    DATABASE_URL reaches the action server.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook"}
    commands = {
        "action server": ([sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(action_port)],
                          f"http://127.0.0.1:{action_port}/health"),
        "Rasa server": ([sys.executable, "-m", "rasa", "run", "--model", str(model), "--port", str(rasa_port),
                         "--endpoints", "endpoints.yml", "--credentials", "credentials.yml", "--enable-api"],
                        f"http://127.0.0.1:{rasa_port}/"),
    }
    processes: list[subprocess.Popen] = []
    try:
        for name, (command, health) in commands.items():
            if not _port_free(health):
                raise ServiceError(f"something already answers at {health}; stop it or choose other ports")
            log = log_dir / f"{name.split()[0].lower()}-{rasa_port}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                           preexec_fn=_die_with_parent)
            processes.append(process)
            _wait_until_up(health, process, name, timeout, log)
        yield f"http://127.0.0.1:{rasa_port}"
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
