"""A throwaway PostgreSQL cluster on 127.0.0.1 for tests (the image's PostgreSQL 15 binaries). PostgreSQL
refuses to run as root, so under root the server runs as the `postgres` user."""

from __future__ import annotations

import contextlib
import getpass
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg2

from tests.fakes import free_port

BIN = Path("/usr/lib/postgresql/15/bin")
USER = "dagster"


def available() -> bool:
    return (BIN / "initdb").is_file()


class PostgresCluster:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="pgtest-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_root = getpass.getuser() == "root"

    def _run(self, *args: str) -> None:
        command = ["runuser", "-u", "postgres", "--", *args] if self.as_root else list(args)
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg2://{USER}@127.0.0.1:{self.port}/dagster"

    def connect(self, database: str = "dagster"):
        return psycopg2.connect(host="127.0.0.1", port=self.port, user=USER, dbname=database)

    def start(self) -> PostgresCluster:
        if self.as_root:
            shutil.chown(self.root, "postgres")
        self._run(str(BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", USER)
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.root / "server.log")
        self._run(str(BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", log, "-w", "start")
        conn = self.connect("postgres")
        conn.autocommit = True  # CREATE DATABASE cannot run in a transaction
        conn.cursor().execute("CREATE DATABASE dagster")
        conn.close()
        return self

    def stop(self) -> None:
        if self.data.exists():
            with contextlib.suppress(subprocess.CalledProcessError):  # a server that never started
                self._run(str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PostgresCluster:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
