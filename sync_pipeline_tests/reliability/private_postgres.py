"""A PostgreSQL server of a test's own, to stop and start without disturbing anyone else.

Restarting the machine's cluster would break every other test running meanwhile (pytest -n 2), so
the restart test gets its own: `initdb` into a temporary folder and `postgres` on a free port of
127.0.0.1, from the binaries of the installed PostgreSQL (/usr/lib/postgresql/<version>/bin). As
root, the server runs as the `postgres` OS user (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from sync_pipeline_tests.ports import free_port


class PrivatePostgresUnavailable(RuntimeError):
    """Why a private server cannot be started on this machine."""


class PrivatePostgres:
    def __init__(self) -> None:
        self.bin = _binaries()
        self._as = _run_as()
        self.folder = Path(tempfile.mkdtemp(prefix="sync-ledger-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        if self._as is not None:
            os.chown(self.folder, self._as.pw_uid, self._as.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")

    @property
    def url(self) -> str:
        return URL.create("postgresql+psycopg2", username="postgres", host="127.0.0.1", port=self.port,
                          database="postgres").render_as_string(hide_password=False)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-o", options, "-w",
                  "start")

    def stop(self) -> None:
        """A fast shutdown: open sessions are ended, as an operator's restart does."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def remove(self) -> None:
        subprocess.run([self.bin / "pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                       capture_output=True, **self._user())
        shutil.rmtree(self.folder, ignore_errors=True)

    def log(self) -> str:
        path = self.folder / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run([self.bin / program, *args], capture_output=True, text=True, timeout=60, **self._user())
        if done.returncode != 0:
            raise PrivatePostgresUnavailable(f"{program} {' '.join(args)} failed ({done.returncode}): "
                                             f"{done.stderr.strip() or done.stdout.strip()}")

    def _user(self) -> dict:
        if self._as is None:
            return {}
        return {"user": self._as.pw_uid, "group": self._as.pw_gid, "extra_groups": [],
                "env": {**os.environ, "HOME": self._as.pw_dir}}


@contextmanager
def started_or_failed(purpose: str) -> Iterator[PrivatePostgres]:
    """A started private server, removed afterwards; the test fails, naming why, if none can start."""
    try:
        found = PrivatePostgres()
        found.start()
    except PrivatePostgresUnavailable as why:
        pytest.fail(f"cannot start a private PostgreSQL server for {purpose}: {why}", pytrace=False)
    try:
        yield found
    finally:
        found.remove()


def _binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    raise PrivatePostgresUnavailable("no PostgreSQL server binaries (initdb) in /usr/lib/postgresql/*/bin or on "
                                     "PATH: install Debian's postgresql package (./dev test does)")


def _version(initdb: str) -> tuple[int, ...]:
    """(16,) for /usr/lib/postgresql/16/bin/initdb, (9, 6) for .../9.6/..."""
    return tuple(int(part) for part in Path(initdb).parts[-3].split(".") if part.isdigit())


def _run_as() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise PrivatePostgresUnavailable("running as root, but there is no `postgres` OS user to run the server "
                                         "as (PostgreSQL refuses to run as root)") from None
