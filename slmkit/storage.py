"""An artifact store rooted in one folder: every write is atomic (temp file + rename), so a run
killed mid-write never leaves a half-written file where a reader would find it."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq


class ArtifactStore:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, relpath: str) -> Path:
        path = (self.root / relpath).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValueError(f"artifact path escapes the store: {relpath!r}")
        return path

    def exists(self, relpath: str) -> bool:
        return self.path(relpath).exists()

    @contextmanager
    def atomic_writer(self, relpath: str) -> Iterator[IO[bytes]]:
        """Yield a binary file; it appears at ``relpath`` only if the block finishes."""
        target = self.path(relpath)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @contextmanager
    def gzip_writer(self, relpath: str) -> Iterator[gzip.GzipFile]:
        """Like :meth:`atomic_writer`, compressing; ``mtime=0`` so equal content gives equal bytes."""
        with self.atomic_writer(relpath) as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as sink:
            yield sink

    def write_bytes(self, relpath: str, data: bytes) -> Path:
        with self.atomic_writer(relpath) as handle:
            handle.write(data)
        return self.path(relpath)

    def read_bytes(self, relpath: str) -> bytes:
        return self.path(relpath).read_bytes()

    def open_gzip(self, relpath: str) -> gzip.GzipFile:
        """Stream a gzip artifact without loading it whole."""
        return gzip.GzipFile(self.path(relpath), "rb")

    def write_json(self, relpath: str, value: Any) -> Path:
        return self.write_bytes(
            relpath, json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False).encode()
        )

    def read_json(self, relpath: str) -> Any:
        return json.loads(self.read_bytes(relpath))

    def append_jsonl(self, relpath: str, record: Any) -> None:
        """Append one JSON line and sync it: a log that keeps every item written before a crash."""
        path = self.path(relpath)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "ab") as handle:
            handle.write(json.dumps(record, sort_keys=True, ensure_ascii=False).encode() + b"\n")
            handle.flush()
            os.fsync(handle.fileno())

    def read_jsonl(self, relpath: str) -> list[Any]:
        """The lines of an append log. A last line torn by a crash mid-append is dropped from the file
        too, so the next append starts on a clean line."""
        if not self.exists(relpath):
            return []
        data = self.read_bytes(relpath)
        complete, _, torn = data.rpartition(b"\n")
        if torn.strip():
            self.write_bytes(relpath, complete + b"\n" if complete else b"")
        return [json.loads(line) for line in complete.split(b"\n") if line.strip()]

    def move(self, source: str, target: str) -> Path:
        """Rename a file or folder within the store (atomic on one file system); the target must not
        be a non-empty folder."""
        destination = self.path(target)
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.path(source), destination)
        return destination

    def remove(self, relpath: str) -> None:
        path = self.path(relpath)
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)

    def write_parquet(self, relpath: str, table: pa.Table) -> Path:
        with self.atomic_writer(relpath) as handle:
            pq.write_table(table, handle, compression="zstd")
        return self.path(relpath)

    def read_parquet(self, relpath: str) -> pa.Table:
        return pq.read_table(self.path(relpath))

    def copy_file(self, source: str | Path, relpath: str) -> Path:
        with open(source, "rb") as src, self.atomic_writer(relpath) as dst:
            shutil.copyfileobj(src, dst)
        return self.path(relpath)
