"""A throwaway PostgreSQL cluster for the county tests: initdb + pg_ctl in a temporary folder, on a
unix socket only (no TCP port, no system service), stopped and removed at the end of the session.

Tests that need it skip, saying why, only where PostgreSQL is not installed (.ci/run installs it).
As root, the cluster runs as the ``postgres`` user (initdb refuses root), in a folder it owns.
"""

from __future__ import annotations

import glob
import itertools
import os
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import NamedTuple

import pytest

SKIP_REASON = (
    "PostgreSQL is not installed (apt-get install postgresql) or psycopg is missing: county tests skipped"
)


class Cluster(NamedTuple):
    socket_dir: str
    password: str

    def url(self, database: str = "postgres", user: str = "postgres", password: str | None = None) -> str:
        secret = self.password if password is None else password
        return f"postgresql://{user}:{secret}@/{database}?host={self.socket_dir}"


def _bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_cluster_user(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def start_cluster() -> tuple[Cluster, Path] | None:
    """A running throwaway cluster and its folder, or None where PostgreSQL or psycopg is missing."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return None
    bin_dir = _bin()
    if bin_dir is None:
        return None
    root = Path(tempfile.mkdtemp(prefix="cmdpost-pg-"))
    password = secrets.token_hex(8)
    (root / "pw").write_text(password)
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        for path in (root, root / "pw", sock):
            shutil.chown(path, "postgres", "postgres")
    subprocess.run(
        _as_cluster_user(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                f"--pwfile={root / 'pw'}",
                "--auth=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        check=True,
        capture_output=True,
    )
    options = f"-k {sock} -c listen_addresses='' -c fsync=off -c max_connections=40"
    subprocess.run(
        _as_cluster_user(
            [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"]
        ),
        check=True,
        capture_output=True,
    )
    return Cluster(str(sock), password), root


def stop_cluster(root: Path) -> None:
    bin_dir = _bin()
    subprocess.run(
        _as_cluster_user(
            [str(bin_dir / "pg_ctl"), "-D", str(root / "data"), "-m", "immediate", "-w", "stop"]
        ),
        capture_output=True,
    )
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster():
    started = start_cluster()
    if started is None:
        pytest.skip(SKIP_REASON)
    cluster, root = started
    try:
        yield cluster
    finally:
        stop_cluster(root)


_numbers = itertools.count(1)


@pytest.fixture
def county_url(pg_cluster):
    """A fresh county database with the county schema; the superuser's URL."""
    import psycopg

    from db.county import pg_schema

    name = f"county_{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = pg_cluster.url(name)
    with psycopg.connect(url) as conn:
        pg_schema.install(conn)
    yield url
    with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
