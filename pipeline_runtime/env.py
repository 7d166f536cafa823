"""Settings read from the environment when a code location loads. A bad value names its variable,
so `dagster dev` shows what to fix instead of a bare parsing error."""

import os
from collections.abc import Sequence
from datetime import date


def env_str(name: str, default: str) -> str:
    return os.environ.get(name) or default


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise ValueError(f"{name}={raw!r} must be at least {minimum}")
    return value


def env_choice(name: str, default: str, choices: Sequence[str]) -> str:
    value = os.environ.get(name) or default
    if value not in choices:
        raise ValueError(f"{name}={value!r} must be one of {', '.join(choices)}")
    return value


def env_date(name: str, default: str) -> str:
    """An ISO date (YYYY-MM-DD), returned as given."""
    value = os.environ.get(name) or default
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name}={value!r} is not a date in YYYY-MM-DD form") from None
    return value


PIPELINE_ENVS = ("local", "production")


def pipeline_env() -> str:
    """The deployment profile, ``PIPELINE_ENV``: ``local`` (files and SQLite on this machine, the default) or
    ``production`` (S3, PostgreSQL, a distributed executor)."""
    return env_choice("PIPELINE_ENV", "local", PIPELINE_ENVS)
