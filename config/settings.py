"""Every setting of legalbot, read from the environment once at start-up and handed to the
components that need it (nothing else reads the environment). The README lists each variable."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR = PROJECT_ROOT / "var"


def _seconds(env: Mapping[str, str], name: str, default: float) -> timedelta:
    return timedelta(seconds=float(env.get(name, default)))


@dataclass(frozen=True)
class HandoffSettings:
    """The handoff's timers, so each office can set its own."""

    offer_timeout: timedelta = timedelta(minutes=10)  # an adviser may take a case before it moves on
    first_response: timedelta = timedelta(minutes=30)  # after taking a case, the adviser's first reply
    next_response: timedelta = timedelta(hours=2)  # after each resident message
    inactivity_close: timedelta = timedelta(hours=72)  # the resident's silence that ends a case
    tick: float = 2.0  # how often the timers are checked, in seconds
    timezone: str = "Asia/Shanghai"  # the zone advisers' working hours are written in

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> HandoffSettings:
        return cls(
            offer_timeout=_seconds(env, "LEGALBOT_OFFER_TIMEOUT", 600),
            first_response=_seconds(env, "LEGALBOT_FIRST_RESPONSE", 1800),
            next_response=_seconds(env, "LEGALBOT_NEXT_RESPONSE", 7200),
            inactivity_close=_seconds(env, "LEGALBOT_INACTIVITY_CLOSE", 72 * 3600),
            tick=float(env.get("LEGALBOT_TIMER_TICK", 2.0)),
            timezone=env.get("LEGALBOT_TIMEZONE", cls.timezone),
        )


@dataclass(frozen=True)
class TelegramSettings:
    token: str
    base_url: str = "https://api.telegram.org/bot"
    webhook_url: str | None = None  # production: Telegram posts updates here; polling when unset
    webhook_secret: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TelegramSettings | None:
        """None when no bot token is configured (the local chat is used instead)."""
        token = env.get("TELEGRAM_BOT_TOKEN")
        if not token:
            return None
        return cls(
            token=token,
            base_url=env.get("TELEGRAM_API_BASE_URL", cls.base_url),
            webhook_url=env.get("TELEGRAM_WEBHOOK_URL") or None,
            webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET") or None,
            webhook_listen=env.get("TELEGRAM_WEBHOOK_LISTEN", cls.webhook_listen),
            webhook_port=int(env.get("TELEGRAM_WEBHOOK_PORT", cls.webhook_port)),
        )


@dataclass(frozen=True)
class RedisSettings:
    """Where the Rasa server keeps the locks its workers share."""

    host: str = "127.0.0.1"
    port: int = 6379
    db: int = 0
    key_prefix: str = "legalbot"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> RedisSettings:
        return cls(
            host=env.get("REDIS_HOST", cls.host),
            port=int(env.get("REDIS_PORT", cls.port)),
            db=int(env.get("REDIS_DB", cls.db)),
            key_prefix=env.get("REDIS_KEY_PREFIX", cls.key_prefix),
        )


def stored_secret(name: str, directory: Path = VAR) -> str:
    """A random secret kept in ``var/<name>``, made on first use: what a setting falls back to
    when none is configured, the same for every process of one installation."""
    path = directory / name
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()


@dataclass(frozen=True)
class ConsoleSettings:
    """The knowledge console (console/): where it listens and how it signs its sessions."""

    host: str = "127.0.0.1"
    port: int = 5080
    secret: str | None = None  # signs session cookies; None: a random one kept under var/
    secure_cookies: bool = False  # set when the console is served over HTTPS

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ConsoleSettings:
        return cls(
            host=env.get("LEGALBOT_CONSOLE_HOST", cls.host),
            port=int(env.get("LEGALBOT_CONSOLE_PORT", cls.port)),
            secret=env.get("LEGALBOT_CONSOLE_SECRET") or None,
            secure_cookies=env.get("LEGALBOT_CONSOLE_SECURE_COOKIES", "") in ("1", "true", "yes"),
        )


@dataclass(frozen=True)
class RestSettings:
    """The REST channel for residents (bot/rest/): off unless a port is configured."""

    port: int
    host: str = "127.0.0.1"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> RestSettings | None:
        """None when LEGALBOT_REST_PORT is unset: residents reach the assistant only by the other channels."""
        port = env.get("LEGALBOT_REST_PORT")
        if not port:
            return None
        return cls(port=int(port), host=env.get("LEGALBOT_REST_HOST", cls.host))


@dataclass(frozen=True)
class Settings:
    database_url: str = f"sqlite:///{VAR / 'legalbot.db'}"
    tracker_store_url: str = f"sqlite:///{VAR / 'conversations.db'}"
    conversation_days: int = 30  # a conversation is deleted this long after its last message
    rasa_port: int = 5005
    action_port: int = 5055
    rasa_url: str = "http://127.0.0.1:5005"  # where `legalbot chat` finds a running assistant
    rasa_workers: int = 2
    embedding_cache: Path = VAR / "embeddings.sqlite"  # the sentence vectors of training examples
    model_port: int = 5057  # the model server every Rasa worker pulls new models from
    model_pull_seconds: int = 10  # how often each Rasa worker asks it for a new model
    consultation_days: int = 90  # what residents asked (masked) is kept this long for the console
    telegram_days: int = 7  # a handled Telegram update's content, and an undelivered reply, are kept this long
    case_days: int = 365  # a closed case (transcript, messages, history) is kept this long after it closed
    sender_hash_key: str | None = None  # keys the hash of sender ids; None: a random one under var/
    rasa_token: str | None = None  # the Rasa server's HTTP API token; None: a random one under var/
    action_token: str | None = None  # what the action server asks of its caller; None: one under var/
    console: ConsoleSettings = field(default_factory=ConsoleSettings)
    rest: RestSettings | None = None
    redis: RedisSettings = field(default_factory=RedisSettings)
    telegram: TelegramSettings | None = None
    handoff: HandoffSettings = field(default_factory=HandoffSettings)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        return cls(
            database_url=env.get("DATABASE_URL", cls.database_url),
            tracker_store_url=env.get("TRACKER_STORE_URL", cls.tracker_store_url),
            conversation_days=int(env.get("LEGALBOT_CONVERSATION_DAYS", cls.conversation_days)),
            rasa_port=int(env.get("RASA_PORT", cls.rasa_port)),
            action_port=int(env.get("ACTION_PORT", cls.action_port)),
            rasa_url=env.get("RASA_URL", cls.rasa_url),
            rasa_workers=int(env.get("LEGALBOT_RASA_WORKERS", cls.rasa_workers)),
            embedding_cache=Path(env.get("LEGALBOT_EMBEDDING_CACHE", cls.embedding_cache)),
            model_port=int(env.get("LEGALBOT_MODEL_PORT", cls.model_port)),
            model_pull_seconds=int(env.get("LEGALBOT_MODEL_PULL_SECONDS", cls.model_pull_seconds)),
            consultation_days=int(env.get("LEGALBOT_CONSULTATION_DAYS", cls.consultation_days)),
            telegram_days=int(env.get("LEGALBOT_TELEGRAM_DAYS", cls.telegram_days)),
            case_days=int(env.get("LEGALBOT_CASE_DAYS", cls.case_days)),
            sender_hash_key=env.get("LEGALBOT_SENDER_HASH_KEY") or None,
            rasa_token=env.get("LEGALBOT_RASA_TOKEN") or None,
            action_token=env.get("LEGALBOT_ACTION_TOKEN") or None,
            console=ConsoleSettings.from_env(env),
            rest=RestSettings.from_env(env),
            redis=RedisSettings.from_env(env),
            telegram=TelegramSettings.from_env(env),
            handoff=HandoffSettings.from_env(env),
        )

    def rasa_api_token(self) -> str:
        """The token every call of the Rasa server's HTTP API carries (its channels need none)."""
        return self.rasa_token or stored_secret("rasa-token")

    def action_server_token(self) -> str:
        """The token the Rasa server sends the action server, which refuses calls without it."""
        return self.action_token or stored_secret("action-token")
