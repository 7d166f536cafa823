"""JSON-lines in and out for the ``predict`` / ``redact`` commands. A bad input line (not UTF-8, not a
JSON object, no text) is reported by its line number (never its content: it may hold patient text) and
skipped; the batch goes on. The output file appears whole or not at all."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from tqdm import tqdm


@dataclass(frozen=True)
class InputLine:
    line: int
    id: str
    text: str


def read_inputs(path: str | Path) -> tuple[list[InputLine], list[str]]:
    """Good lines, and one ``"line N: why"`` per skipped line. ``id`` defaults to the line number."""
    good: list[InputLine] = []
    problems: list[str] = []
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            why, item = _parse(raw)
            if why:
                problems.append(f"line {number}: {why}")
                continue
            good.append(InputLine(number, str(item.get("id", number)), item["text"]))
    return good, problems


def _parse(raw: bytes) -> tuple[str | None, dict[str, Any]]:
    if b"\x00" in raw:
        return "binary data, not text", {}
    try:
        item = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return "not UTF-8 text", {}
    except json.JSONDecodeError:
        return "not valid JSON", {}
    if not isinstance(item, dict):
        return "not a JSON object", {}
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        return 'no "text" string', {}
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate escape (\ud800) parses as JSON but is not text
        return "not valid Unicode", {}
    return None, item


def batched(items: Sequence[Any], size: int, *, label: str) -> Iterator[Sequence[Any]]:
    """Batches of ``items``, with a progress bar on stderr when the input is long enough to wait for."""
    with tqdm(
        total=len(items), desc=label, unit="text", disable=len(items) < 2 * size, file=sys.stderr
    ) as bar:
        for first in range(0, len(items), size):
            batch = items[first : first + size]
            yield batch
            bar.update(len(batch))


def write_outputs(path: str | Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write JSON lines atomically (temp file + rename); the number written."""
    target = Path(path).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count


def run_batch(
    input_path: str,
    output_path: str,
    predict: Callable[[Sequence[InputLine]], list[dict[str, Any]]],
    *,
    batch_size: int,
    label: str,
    err: TextIO | None = None,
) -> int:
    """Read, predict in batches, write; report skipped lines. Exit status: 0, or 1 when lines were skipped."""
    err = err or sys.stderr
    items, problems = read_inputs(input_path)
    for problem in problems:
        print(f"{label}: skipped {problem}", file=err)
    rows: list[dict[str, Any]] = []
    for batch in batched(items, batch_size, label=label):
        rows += predict(batch)
    written = write_outputs(output_path, rows)
    print(f"{label}: {written} written to {output_path}, {len(problems)} skipped", file=err)
    return 1 if problems else 0
