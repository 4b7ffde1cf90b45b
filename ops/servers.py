"""Start and stop the two servers of the consultation core: the action server and Rasa."""
from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import httpx

from ops.retention import store_url
from storage.db import PROJECT_ROOT


class ServiceError(RuntimeError):
    pass


def _die_with_parent() -> None:
    """In the child: ask Linux to end it when the process that started it dies (PR_SET_PDEATHSIG),
    so a killed `legalbot run` or test session never leaves servers holding their ports."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGTERM)


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


@dataclass
class Servers:
    url: str  # the Rasa server's base URL
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)


@contextmanager
def running(commands: dict[str, tuple[list[str], str]], env: dict[str, str], url: str, log_dir: Path,
            timeout: float) -> Iterator[Servers]:
    """Start each command in turn and wait until its health URL answers; stop them all at the end."""
    log_dir.mkdir(parents=True, exist_ok=True)
    servers = Servers(url)
    try:
        for name, (command, health) in commands.items():
            if not _port_free(health):
                raise ServiceError(f"something already answers at {health}; stop it or choose other ports")
            log = log_dir / f"{name.replace(' ', '-')}-{health.rsplit(':', 1)[1].split('/')[0]}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                           preexec_fn=_die_with_parent, start_new_session=True)
            servers.processes[name] = process
            _wait_until_up(health, process, name, timeout, log)
        yield servers
    finally:
        # Each server is its own process group: Rasa's Sanic workers are stopped with it.
        for process in reversed(servers.processes.values()):
            _signal_group(process, signal.SIGTERM)
        for process in servers.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass


def rasa_run(model: Path, port: int, *options: str) -> list[str]:
    return [sys.executable, "-m", "rasa", "run", "--model", str(model), "--port", str(port), "--enable-api", *options]


#: Where endpoints.yml finds Redis (the lock store), unless the environment says otherwise.
REDIS_DEFAULTS = {"REDIS_HOST": "127.0.0.1", "REDIS_PORT": "6379", "REDIS_DB": "0", "REDIS_KEY_PREFIX": "legalbot"}


def _check_redis(env: dict[str, str]) -> None:
    """Rasa would quietly fall back to an in-memory lock store, which its workers cannot share."""
    import redis

    try:
        redis.Redis(host=env["REDIS_HOST"], port=int(env["REDIS_PORT"]), db=int(env["REDIS_DB"]),
                    socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        raise ServiceError(f"Redis is not answering at {env['REDIS_HOST']}:{env['REDIS_PORT']} ({error}); "
                           "start it, or set REDIS_HOST / REDIS_PORT (see the README)") from error


def running_core(model: Path, rasa_port: int = 5005, action_port: int = 5055,
                 log_dir: Path = PROJECT_ROOT / "var" / "log", timeout: float = 180, rasa_defaults: bool = False):
    """Run the action server and the Rasa server (REST channel) until the block ends.
    Both inherit this process's environment, so DATABASE_URL reaches the action server. The
    Rasa server runs LEGALBOT_RASA_WORKERS Sanic workers (default 2) sharing conversations
    (TRACKER_STORE_URL) and their locks (Redis); see endpoints.yml. ``rasa_defaults``: the
    same bot the way a plain `rasa run` serves it (one worker, in-memory stores), the
    benchmark's reference."""
    env = {**REDIS_DEFAULTS, "TRACKER_STORE_URL": store_url(),
           "SANIC_WORKERS": os.environ.get("LEGALBOT_RASA_WORKERS", "2"), **os.environ,
           "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook"}
    endpoints = PROJECT_ROOT / "endpoints.yml"
    if rasa_defaults:
        env["SANIC_WORKERS"] = "1"
        endpoints = log_dir / "default-endpoints.yml"
        log_dir.mkdir(parents=True, exist_ok=True)
        endpoints.write_text("action_endpoint:\n  url: ${ACTION_ENDPOINT_URL}\n")
    else:
        _check_redis(env)
    commands = {
        "action server": ([sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(action_port)],
                          f"http://127.0.0.1:{action_port}/health"),
        "Rasa server": (rasa_run(model, rasa_port, "--endpoints", str(endpoints), "--credentials", "credentials.yml"),
                        f"http://127.0.0.1:{rasa_port}/"),
    }
    return running(commands, env, f"http://127.0.0.1:{rasa_port}", log_dir, timeout)
