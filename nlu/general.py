"""The hand-written intents of nlu/general.yml (greetings, yes and no, other law…) as plain
lists, for the code that reads their examples outside Rasa: the evaluation's baseline."""

from __future__ import annotations

import yaml

from config.settings import PROJECT_ROOT

GENERAL_FILE = PROJECT_ROOT / "nlu" / "general.yml"


def general_examples() -> dict[str, list[str]]:
    """intent → its example texts, in the file's order."""
    data = yaml.safe_load(GENERAL_FILE.read_text(encoding="utf-8"))
    return {
        item["intent"]: [line.strip().removeprefix("- ") for line in item["examples"].splitlines() if line.strip()]
        for item in data["nlu"]
    }
