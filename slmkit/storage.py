"""Artifact stores: every dataset, download, report and model the pipelines write, addressed by a relative
path (``sam/opportunities/2026-11-09.parquet``), in a local folder or an S3 bucket.

Both stores make writes all-or-nothing: a file appears whole or not at all (local: temp file + rename; S3: one
PUT, or a multipart upload that only becomes visible when completed), and a model folder is published as a
whole (local: a staged folder renamed into place; S3: an immutable version prefix, then a one-object pointer).
A run killed mid-write, or an S3 endpoint that stops mid-upload, never leaves a half-written artifact where a
reader would find it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import tempfile
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

SPOOL_BYTES = 16 << 20  # objects larger than this spool to a temp file instead of memory


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def folder_manifest(folder: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of every file below ``folder``."""
    return {
        p.relative_to(folder).as_posix(): file_sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _clean_relpath(relpath: str) -> str:
    parts = [p for p in relpath.replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts or ".." in parts or relpath.startswith("/"):
        raise ValueError(f"artifact path escapes the store: {relpath!r}")
    return "/".join(parts)


class ArtifactStore(ABC):
    """What the assets need from storage. Subclasses implement the primitives; the formats are shared."""

    @abstractmethod
    def exists(self, relpath: str) -> bool:
        """A file, or a folder with at least one file, at ``relpath``."""

    @abstractmethod
    def atomic_writer(self, relpath: str) -> Any:
        """Context manager yielding a binary file; it appears at ``relpath`` only if the block finishes."""

    @abstractmethod
    def open_read(self, relpath: str) -> IO[bytes]:
        """A seekable binary file with the artifact's bytes; ``FileNotFoundError`` if there is none."""

    @abstractmethod
    def append_jsonl(self, relpath: str, record: Any) -> None:
        """Append one JSON line durably: a log that keeps every item written before a crash."""

    @abstractmethod
    def move(self, source: str, target: str) -> None:
        """Rename a file or folder within the store."""

    @abstractmethod
    def remove(self, relpath: str) -> None:
        """Delete a file or folder; nothing there is not an error."""

    @abstractmethod
    def staged_folder(self, relpath: str) -> Any:
        """Context manager yielding an empty local folder; when the block finishes its files become the
        folder at ``relpath`` as a whole (readers see the old version or the new one); if it fails, nothing
        changes."""

    @abstractmethod
    def local_folder(self, relpath: str) -> Path:
        """A local folder with the current contents of the folder at ``relpath`` (for S3, a verified download,
        kept for later calls)."""

    @abstractmethod
    def count(self, prefix: str, suffix: str = "") -> int:
        """How many files below ``prefix`` end with ``suffix``."""

    @abstractmethod
    def uri(self, relpath: str) -> str:
        """Where ``relpath`` lives, for humans: a local path or ``s3://bucket/key``."""

    @contextmanager
    def gzip_writer(self, relpath: str) -> Iterator[gzip.GzipFile]:
        """Like :meth:`atomic_writer`, compressing; ``mtime=0`` so equal content gives equal bytes."""
        with self.atomic_writer(relpath) as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as sink:
            yield sink

    def open_gzip(self, relpath: str) -> gzip.GzipFile:
        """Stream a gzip artifact without holding it in memory whole."""
        return gzip.GzipFile(fileobj=self.open_read(relpath), mode="rb")

    def write_bytes(self, relpath: str, data: bytes) -> None:
        with self.atomic_writer(relpath) as handle:
            handle.write(data)

    def read_bytes(self, relpath: str) -> bytes:
        with self.open_read(relpath) as handle:
            return handle.read()

    def write_json(self, relpath: str, value: Any) -> None:
        self.write_bytes(relpath, json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False).encode())

    def read_json(self, relpath: str) -> Any:
        return json.loads(self.read_bytes(relpath))

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

    def write_parquet(self, relpath: str, table: pa.Table) -> None:
        with self.atomic_writer(relpath) as handle:
            pq.write_table(table, handle, compression="zstd")

    def read_parquet(self, relpath: str) -> pa.Table:
        with self.open_read(relpath) as handle:
            return pq.read_table(handle)

    def copy_file(self, source: str | Path, relpath: str) -> None:
        with open(source, "rb") as src, self.atomic_writer(relpath) as dst:
            shutil.copyfileobj(src, dst)


def _jsonl_line(record: Any) -> bytes:
    return json.dumps(record, sort_keys=True, ensure_ascii=False).encode() + b"\n"


class LocalArtifactStore(ArtifactStore):
    """A folder on this machine."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"LocalArtifactStore({str(self.root)!r})"

    def path(self, relpath: str) -> Path:
        path = (self.root / relpath).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValueError(f"artifact path escapes the store: {relpath!r}")
        return path

    def exists(self, relpath: str) -> bool:
        return self.path(relpath).exists()

    @contextmanager
    def atomic_writer(self, relpath: str) -> Iterator[IO[bytes]]:
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

    def open_read(self, relpath: str) -> IO[bytes]:
        return open(self.path(relpath), "rb")

    def append_jsonl(self, relpath: str, record: Any) -> None:
        path = self.path(relpath)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "ab") as handle:
            handle.write(_jsonl_line(record))
            handle.flush()
            os.fsync(handle.fileno())

    def move(self, source: str, target: str) -> None:
        """Atomic on one file system; the target must not be a non-empty folder."""
        destination = self.path(target)
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.path(source), destination)

    def remove(self, relpath: str) -> None:
        path = self.path(relpath)
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)

    @contextmanager
    def staged_folder(self, relpath: str) -> Iterator[Path]:
        """Staged beside the target and swapped in by two renames (for a moment between them, no folder)."""
        relpath = _clean_relpath(relpath)
        parent, _, name = relpath.rpartition("/")
        sibling = f"{parent}/.{name}" if parent else f".{name}"
        staged = self.path(f"{sibling}.{uuid.uuid4().hex}.tmp")
        staged.mkdir(parents=True)
        try:
            yield staged
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
        old = f"{sibling}.{uuid.uuid4().hex}.old"
        if self.exists(relpath):
            self.move(relpath, old)
        os.replace(staged, self.path(relpath))
        self.remove(old)

    def local_folder(self, relpath: str) -> Path:
        path = self.path(relpath)
        if not path.is_dir():
            raise FileNotFoundError(f"no folder {relpath} in {self.root}")
        return path

    def count(self, prefix: str, suffix: str = "") -> int:
        root = self.path(prefix)
        return sum(1 for p in root.rglob(f"*{suffix}") if p.is_file()) if root.is_dir() else 0

    def uri(self, relpath: str) -> str:
        return str(self.path(relpath))


class S3ArtifactStore(ArtifactStore):
    """A bucket (and key prefix) on S3 or any S3-compatible store, through a boto3 client (the one
    dagster-aws's ``S3Resource`` builds). Files above ``multipart_threshold`` bytes go up in parts.

    A folder is published as ``<relpath>/versions/<version>/<files>`` followed by ``<relpath>/current.json``
    (version and per-file sha256), one PUT that switches readers over. Versions are content hashes and stay
    in the bucket, so every materialisation's model can still be fetched (an S3 lifecycle rule can expire
    old ones)."""

    POINTER = "current.json"

    def __init__(
        self,
        client: Any,
        bucket: str,
        prefix: str = "",
        *,
        cache_dir: str | Path,
        multipart_threshold: int = 8 << 20,
    ):
        from boto3.s3.transfer import TransferConfig

        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.cache_dir = Path(cache_dir)
        self.transfer = TransferConfig(
            multipart_threshold=multipart_threshold, multipart_chunksize=max(multipart_threshold, 5 << 20)
        )

    def __repr__(self) -> str:
        return f"S3ArtifactStore('s3://{self.bucket}/{self.prefix}')"

    def key(self, relpath: str) -> str:
        relpath = _clean_relpath(relpath)
        return f"{self.prefix}/{relpath}" if self.prefix else relpath

    def uri(self, relpath: str) -> str:
        return f"s3://{self.bucket}/{self.key(relpath)}"

    def _keys(self, key_prefix: str) -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=key_prefix)
        for page in pages:
            for item in page.get("Contents", []):
                yield item["Key"]

    def _is_missing(self, error: Exception) -> bool:
        code = getattr(error, "response", {}).get("Error", {}).get("Code")
        return code in ("404", "NoSuchKey", "NotFound")

    def exists(self, relpath: str) -> bool:
        key = self.key(relpath)
        return self._exists_key(key) or next(self._keys(key + "/"), None) is not None

    @contextmanager
    def atomic_writer(self, relpath: str) -> Iterator[IO[bytes]]:
        key = self.key(relpath)
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
            yield spool
            spool.seek(0)
            self.client.upload_fileobj(spool, self.bucket, key, Config=self.transfer)

    def open_read(self, relpath: str) -> IO[bytes]:
        from botocore.exceptions import ClientError

        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (the caller closes it)
        try:
            self.client.download_fileobj(self.bucket, self.key(relpath), spool, Config=self.transfer)
        except ClientError as error:
            spool.close()
            if self._is_missing(error):
                where = f"s3://{self.bucket}/{self.prefix}"
                raise FileNotFoundError(f"no artifact {relpath} in {where}") from None
            raise
        spool.seek(0)
        return spool

    def append_jsonl(self, relpath: str, record: Any) -> None:
        # S3 objects cannot be appended to: rewrite the log whole (one writer per log, as the assets ensure).
        old = self.read_bytes(relpath) if self.exists(relpath) else b""
        self.write_bytes(relpath, old + _jsonl_line(record))

    def move(self, source: str, target: str) -> None:
        """Copy then delete, object by object: not atomic, so callers publish a pointer afterwards."""
        source_key, target_key = self.key(source), self.key(target)
        keys = list(self._keys(source_key + "/"))
        if self._exists_key(source_key):
            keys.append(source_key)
        for key in keys:
            new = target_key + key[len(source_key) :]
            self.client.copy({"Bucket": self.bucket, "Key": key}, self.bucket, new, Config=self.transfer)
            self.client.delete_object(Bucket=self.bucket, Key=key)

    def _exists_key(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
            return True
        except ClientError as error:
            if self._is_missing(error):
                return False
            raise

    def remove(self, relpath: str) -> None:
        key = self.key(relpath)
        for found in [*self._keys(key + "/"), key]:
            self.client.delete_object(Bucket=self.bucket, Key=found)

    @contextmanager
    def staged_folder(self, relpath: str) -> Iterator[Path]:
        with tempfile.TemporaryDirectory(prefix="staged-") as scratch:
            yield Path(scratch)
            files = folder_manifest(Path(scratch))
            version = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16]
            for name in files:
                key = self.key(f"{relpath}/versions/{version}/{name}")
                self.client.upload_file(str(Path(scratch, name)), self.bucket, key, Config=self.transfer)
            # The pointer goes last: until it is written, readers keep getting the previous version.
            self.write_json(f"{relpath}/{self.POINTER}", {"version": version, "files": files})

    def local_folder(self, relpath: str) -> Path:
        try:
            pointer = self.read_json(f"{relpath}/{self.POINTER}")
        except FileNotFoundError:
            raise FileNotFoundError(f"no folder {relpath} in s3://{self.bucket}/{self.prefix}") from None
        target = self.cache_dir / self.bucket / self.key(relpath) / pointer["version"]
        if target.is_dir():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        download = Path(tempfile.mkdtemp(dir=target.parent, prefix=".download-"))
        try:
            for name, sha256 in pointer["files"].items():
                local = download / name
                local.parent.mkdir(parents=True, exist_ok=True)
                key = self.key(f"{relpath}/versions/{pointer['version']}/{name}")
                self.client.download_file(self.bucket, key, str(local), Config=self.transfer)
                if file_sha256(local) != sha256:
                    raise ValueError(f"{self.uri(relpath)}: {name} does not match its recorded sha256")
            os.replace(download, target)  # another process may have won the race: theirs is identical
        except OSError:
            if not target.is_dir():
                raise
        finally:
            shutil.rmtree(download, ignore_errors=True)
        return target

    def count(self, prefix: str, suffix: str = "") -> int:
        return sum(1 for key in self._keys(self.key(prefix) + "/") if key.endswith(suffix))
