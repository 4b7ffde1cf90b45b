"""Start and stop the servers of the consultation core: the model server, the action server and
Rasa. All of them listen on 127.0.0.1 only; the Rasa server's HTTP API and the action server
answer only a caller with their token (Settings.rasa_api_token, Settings.action_server_token).
Residents reach the assistant through the channels in bot/, never through these ports."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from config.settings import PROJECT_ROOT, VAR, RedisSettings, Settings
from knowledge.releases import release
from storage.db import Database


class ServiceError(RuntimeError):
    pass


def _die_with_parent() -> None:
    """In the child: ask Linux to end it when the process that started it dies (PR_SET_PDEATHSIG),
    so a killed `legalbot run` or test session never leaves servers holding their ports."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGTERM)


def free_ports(count: int) -> list[int]:
    """``count`` distinct TCP ports on the loopback interface that nothing listens on right now:
    all are held while they are chosen, as ports chosen one after another can coincide."""
    with ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    return free_ports(1)[0]


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


def listening_sockets(port: int) -> int | None:
    """How many sockets listen on ``port`` (None where Linux's /proc/net/tcp is not to be read).
    Each Rasa worker of the served assistant listens on a socket of its own once its model is
    loaded (ops/rasa_server.py), so this counts the workers ready to take connections."""
    tables = [Path(name) for name in ("/proc/net/tcp", "/proc/net/tcp6") if Path(name).exists()]
    if not tables:
        return None
    suffix = f":{port:04X}"
    fields = (line.split() for table in tables for line in table.read_text().splitlines()[1:])
    return sum(f[1].endswith(suffix) and f[3] == "0A" for f in fields)  # 0A: TCP_LISTEN


def wait_for_workers(port: int, workers: int, process: subprocess.Popen, timeout: float) -> None:
    """Wait until ``workers`` sockets listen on ``port``. The health URL answers once the first
    worker is up; a worker that starts seconds later (on an empty database two workers race to
    create Rasa's tables, and the loser waits 5 s) would leave the first alone with every
    connection made meanwhile."""
    deadline = time.monotonic() + timeout
    while (listening := listening_sockets(port)) is not None and listening < workers:
        if process.poll() is not None or time.monotonic() > deadline:
            raise ServiceError(f"{listening} of {workers} Rasa workers listen on port {port}")
        time.sleep(0.2)


@dataclass
class Servers:
    url: str  # the Rasa server's base URL
    token: str = ""  # the Rasa server's HTTP API token (?token=); its REST channel needs none
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    model_url: str = ""  # the model server the Rasa workers pull from


@contextmanager
def running(
    commands: dict[str, tuple[list[str], str]], env: dict[str, str], url: str, log_dir: Path, timeout: float
) -> Iterator[Servers]:
    """Start each command in turn and wait until its health URL answers; stop them all at the end."""
    log_dir.mkdir(parents=True, exist_ok=True)
    servers = Servers(url)
    try:
        for name, (command, health) in commands.items():
            if not _port_free(health):
                raise ServiceError(f"something already answers at {health}; stop it or choose other ports")
            log = log_dir / f"{name.replace(' ', '-')}-{health.rsplit(':', 1)[1].split('/')[0]}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(
                    command,
                    cwd=PROJECT_ROOT,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    preexec_fn=_die_with_parent,
                    start_new_session=True,
                )
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


LOOPBACK = "127.0.0.1"


SERVED_RASA = "ops.rasa_server"  # Rasa with its per-message costs paid once (ops/rasa_server.py)
PLAIN_RASA = "rasa"  # the benchmark's references


def rasa_run(model: Path, port: int, token: str, *options: str, rasa: str = SERVED_RASA) -> list[str]:
    """`rasa run` on the loopback interface, its HTTP API (all but the channels and /) behind ``token``."""
    return [
        sys.executable,
        "-m",
        "ops.masked_logs",
        rasa,
        "run",
        "--model",
        str(model),
        "--interface",
        LOOPBACK,
        "--port",
        str(port),
        "--enable-api",
        "--auth-token",
        token,
        *options,
    ]


def _check_redis(redis_settings: RedisSettings) -> None:
    """Rasa would quietly fall back to an in-memory lock store, which its workers cannot share."""
    import redis

    try:
        redis.Redis(
            host=redis_settings.host, port=redis_settings.port, db=redis_settings.db, socket_connect_timeout=3
        ).ping()
    except redis.RedisError as error:
        raise ServiceError(
            f"Redis is not answering at {redis_settings.host}:{redis_settings.port} ({error}); "
            "start it, or set REDIS_HOST / REDIS_PORT (see the README)"
        ) from error


def server_env(settings: Settings, action_port: int, model_port: int) -> dict[str, str]:
    """The environment of the servers: this process's, with the settings' values for what
    endpoints.yml and the action server read (so both see the same settings as this process)."""
    return {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "TRACKER_STORE_URL": settings.tracker_store_url,
        "REDIS_HOST": settings.redis.host,
        "REDIS_PORT": str(settings.redis.port),
        "REDIS_DB": str(settings.redis.db),
        "REDIS_KEY_PREFIX": settings.redis.key_prefix,
        "SANIC_WORKERS": str(settings.rasa_workers),
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
        "LEGALBOT_ACTION_TOKEN": settings.action_server_token(),  # endpoints.yml sends it, the server checks it
        # The sentence encoder's OpenMP threads: one per process (the Rasa workers and the action
        # server share the cores), waiting passively (nlu/encoder.py says why).
        "OMP_NUM_THREADS": "1",
        "OMP_WAIT_POLICY": "PASSIVE",
        "LEGALBOT_EMBEDDING_CACHE": str(settings.embedding_cache),
        "MODEL_SERVER_URL": f"http://127.0.0.1:{model_port}/model",
        "MODEL_PULL_SECONDS": str(settings.model_pull_seconds),
    }


@contextmanager
def running_core(
    model: Path,
    settings: Settings,
    rasa_port: int | None = None,
    action_port: int | None = None,
    log_dir: Path = VAR / "log",
    timeout: float = 600,  # loading the model (TensorFlow, the encoder) on a busy 2-core machine
    rasa_defaults: bool = False,
    model_port: int | None = None,
) -> Iterator[Servers]:
    """Run the model server, the action server and the Rasa server (REST channel) until the
    block ends. ``model`` is released (knowledge/releases.py): the Rasa server's
    ``settings.rasa_workers`` Sanic workers pull it from the model server, and later the model
    the console releases after a retrain. They share conversations (the tracker store) and their
    locks (Redis); see endpoints.yml. ``rasa_defaults``: the same bot the way a plain `rasa run`
    serves it (one worker, in-memory stores, the model from disk), the benchmark's reference."""
    rasa_port = rasa_port or settings.rasa_port
    action_port = action_port or settings.action_port
    model_port = model_port or settings.model_port
    env = server_env(settings, action_port, model_port)
    endpoints = PROJECT_ROOT / "endpoints.yml"
    commands: dict[str, tuple[list[str], str]] = {}
    if rasa_defaults:
        env["SANIC_WORKERS"] = "1"
        endpoints = log_dir / "default-endpoints.yml"
        log_dir.mkdir(parents=True, exist_ok=True)
        endpoints.write_text("action_endpoint:\n  url: ${ACTION_ENDPOINT_URL}\n  token: ${LEGALBOT_ACTION_TOKEN}\n")
    else:
        _check_redis(settings.redis)
        with Database(settings.database_url).session() as s, s.begin():
            release(s, model.resolve(), "legalbot run")
        commands["model server"] = (
            [sys.executable, "-m", "ops.model_server", "--port", str(model_port)],
            f"http://127.0.0.1:{model_port}/health",
        )
    token = settings.rasa_api_token()
    commands |= {
        "action server": (
            [sys.executable, "-m", "ops.masked_logs", "ops.action_server", "--port", str(action_port)],
            f"http://127.0.0.1:{action_port}/health",
        ),
        "Rasa server": (
            rasa_run(
                model,
                rasa_port,
                token,
                "--endpoints",
                str(endpoints),
                "--credentials",
                "credentials.yml",
                rasa=PLAIN_RASA if rasa_defaults else SERVED_RASA,
            ),
            f"http://127.0.0.1:{rasa_port}/status?token={token}",  # 200 once a worker has loaded its model
        ),
    }
    with running(commands, env, f"http://127.0.0.1:{rasa_port}", log_dir, timeout) as servers:
        if not rasa_defaults:
            wait_for_workers(rasa_port, settings.rasa_workers, servers.processes["Rasa server"], timeout)
        servers.token = token
        servers.model_url = f"http://127.0.0.1:{model_port}"
        yield servers


@contextmanager
def running_console(
    settings: Settings, core: Servers, log_dir: Path = VAR / "log", timeout: float = 60
) -> Iterator[str]:
    """The knowledge console beside a running core, until the block ends; yields its URL."""
    console = settings.console
    command = [
        sys.executable,
        "-m",
        "ops.cli",
        "console",
        "--host",
        console.host,
        "--port",
        str(console.port),
        "--rasa-url",
        core.url,
        "--model-url",
        core.model_url,
    ]
    env = {**os.environ, "DATABASE_URL": settings.database_url}
    url = f"http://{console.host}:{console.port}"
    with running({"knowledge console": (command, f"{url}/login")}, env, url, log_dir, timeout):
        yield url
