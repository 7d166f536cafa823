"""HTTP sessions with bounded retries, and secret redaction for anything that leaves the client."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

RETRY_STATUSES = (500, 502, 503, 504)


def build_session(
    *,
    retries: int = 4,
    backoff_factor: float = 0.5,
    backoff_max: float = 30.0,
    user_agent: str = "slmkit/0.1",
) -> requests.Session:
    """A session that retries 5xx answers, connection errors and read timeouts with bounded
    exponential backoff. 429 is *not* retried: a quota answer must stop the caller at once."""
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff_factor,
        backoff_max=backoff_max,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD"}),
        raise_on_status=False,
        respect_retry_after_header=True,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = user_agent
    return session


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """Replace every non-empty secret in ``text`` with ``***``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


class RedactingFilter(logging.Filter):
    """Logging filter that rewrites records so a secret never reaches a handler.

    urllib3 logs retried URLs (query strings included) at WARNING; an API key sent as a query
    parameter would otherwise land in the Dagster run log.
    """

    def __init__(self, secrets: Iterable[str | None]):
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = record.getMessage()
            cleaned = redact(message, self.secrets)
            if cleaned != message:
                record.msg, record.args = cleaned, None
        return True


# Logger filters do not apply to child loggers, so name the ones that emit URLs: connectionpool logs
# every request line (query string included) at DEBUG, retry and poolmanager log retried URLs.
URL_LOGGERS = ("urllib3.connectionpool", "urllib3.util.retry", "urllib3.poolmanager", "requests")


def install_redaction(secret: str | None, loggers: Iterable[str] = URL_LOGGERS) -> None:
    """Attach a :class:`RedactingFilter` for ``secret`` to the given loggers (idempotent per secret)."""
    if not secret:
        return
    for name in loggers:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) and secret in f.secrets for f in logger.filters):
            logger.addFilter(RedactingFilter([secret]))
