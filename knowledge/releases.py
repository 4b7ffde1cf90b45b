"""Which trained model residents get: every training run (by the console, or at start-up) is
recorded, and the newest one that succeeded is the model every Rasa worker serves."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.models import TrainingRun, TrainingStatus
from storage.db import utcnow


def model_key_of(model: str | Path) -> str:
    """The hash of a model's training inputs, from its file name (models/legalbot-<key>.tar.gz)."""
    return Path(model).name.removesuffix(".tar.gz").removeprefix("legalbot-")


def current_model(session: Session) -> Path | None:
    """The model the Rasa workers should serve."""
    run = session.scalars(
        select(TrainingRun)
        .where(TrainingRun.status == TrainingStatus.succeeded.value)
        .order_by(TrainingRun.finished_at.desc(), TrainingRun.id.desc())
        .limit(1)
    ).first()
    return Path(run.model) if run is not None and run.model else None


def released_keys(session: Session) -> set[str]:
    """The keys of every model ever released (a Rasa worker serving one of them has a model)."""
    query = select(TrainingRun.model).where(TrainingRun.status == TrainingStatus.succeeded.value)
    return {model_key_of(m) for m in session.scalars(query) if m}


def release(session: Session, model: Path, requested_by: str) -> None:
    """Serve ``model`` from now on (a model trained or found in the cache outside the console)."""
    if current_model(session) != model:
        now = utcnow()
        session.add(
            TrainingRun(
                requested_by=requested_by,
                started_at=now,
                finished_at=now,
                status=TrainingStatus.succeeded.value,
                model=str(model),
            )
        )


def start_run(session: Session, requested_by: str) -> TrainingRun:
    run = TrainingRun(requested_by=requested_by, status=TrainingStatus.running.value)
    session.add(run)
    session.flush()
    return run


def finish_run(session: Session, run_id: int, model: Path | None, error: str | None = None) -> None:
    """A succeeded run (``model`` given) becomes the served model; a failed one changes nothing."""
    run = session.get(TrainingRun, run_id)
    assert run is not None, "finish only a run that was started"
    run.finished_at = utcnow()
    run.status = (TrainingStatus.succeeded if model is not None else TrainingStatus.failed).value
    run.model = str(model) if model is not None else None
    run.error = error


def recent_runs(session: Session, limit: int = 5) -> list[TrainingRun]:
    return list(session.scalars(select(TrainingRun).order_by(TrainingRun.id.desc()).limit(limit)))
