"""What every page of the console shares: the database, the settings, where the assistant is,
and the retrainer. Built once by create_app and kept on the Flask app."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from config.settings import Settings
from console.retrain import Retrainer
from storage.db import Database


@dataclass
class Console:
    db: Database
    settings: Settings
    rasa_url: str  # the running assistant (Try it)
    model_url: str | None  # the model server the Rasa workers pull from (training page)
    retrainer: Retrainer


def console() -> Console:
    return current_app.extensions["legalbot"]
