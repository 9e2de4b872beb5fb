"""The engines tests run on: a throwaway PostgreSQL server and a probe for a local Spark.

``throwaway_postgres()`` starts a PostgreSQL 15 cluster from the machine's server binaries (as the
``postgres`` user when the tests run as root: the server refuses root) on a free port and a socket
folder of its own, with a database ``escalations``, and removes it on exit; ``postgres_or_skip()``
the same, skipping the test with the reason when no server can start. ``spark_unavailable()`` says
why a local Spark session cannot run here (None when it can): dbt-spark's session extra and pyspark
installed (``pip install -e '.[spark]'``) and a Java runtime.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_BIN = Path("/usr/lib/postgresql/15/bin")


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server can be started here; the message says why."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def throwaway_postgres(name: str) -> Iterator[dict[str, str]]:
    """A new PostgreSQL cluster for one test or module: libpq keywords of its ``escalations``
    database (user ``owner``, trust auth, a Unix socket only). PostgresUnavailable if none starts."""
    if not (PG_BIN / "initdb").exists():
        raise PostgresUnavailable(f"no PostgreSQL server binaries at {PG_BIN}")
    as_user: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root: run it as the postgres user
        if shutil.which("runuser") is None:
            raise PostgresUnavailable("running as root without runuser: cannot start a PostgreSQL server")
        as_user = ["runuser", "-u", "postgres", "--"]
    base = Path(f"/tmp/pg-{os.getpid()}-{name}")
    shutil.rmtree(base, ignore_errors=True)
    data, sock = base / "data", base / "sock"
    sock.mkdir(parents=True)
    if as_user:
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
    port = _free_port()
    try:
        subprocess.run(
            [
                *as_user,
                str(PG_BIN / "initdb"),
                "-D",
                str(data),
                "-U",
                "owner",
                "--auth=trust",
                # text ordered by bytes, as on DuckDB and Spark (copy_raw.check_collation)
                "--locale=C",
                "--encoding=UTF8",
            ],  # fmt: skip
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                *as_user,
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(data),
                "-w",
                "-l",
                str(base / "log"),
                "-o",
                f"-p {port} -k {sock} -c listen_addresses=''",
                "start",
            ],
            check=True,
            capture_output=True,
        )
    except (subprocess.CalledProcessError, OSError) as exc:
        shutil.rmtree(base, ignore_errors=True)
        raise PostgresUnavailable(f"could not start a throwaway PostgreSQL server: {exc}") from None
    import psycopg2

    try:
        admin = psycopg2.connect(host=str(sock), port=port, user="owner", dbname="postgres")
        admin.autocommit = True
        admin.cursor().execute("create database escalations")
        admin.close()
        yield {"host": str(sock), "port": str(port), "user": "owner", "password": "", "dbname": "escalations"}
    finally:
        subprocess.run(
            [*as_user, str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)


@contextlib.contextmanager
def postgres_or_skip(name: str) -> Iterator[dict[str, str]]:
    """``throwaway_postgres``, skipping the test (with the reason) when no server can start."""
    try:
        server = throwaway_postgres(name)
        dsn = server.__enter__()
    except PostgresUnavailable as exc:
        pytest.skip(str(exc))
    try:
        yield dsn
    finally:
        server.__exit__(None, None, None)


def pg_environment(dsn: dict[str, str]) -> dict[str, str]:
    """The ESCALATIONS_PG_* settings of a server (escalations/settings.py)."""
    return {
        "ESCALATIONS_PG_HOST": dsn["host"],
        "ESCALATIONS_PG_PORT": dsn["port"],
        "ESCALATIONS_PG_USER": dsn["user"],
        "ESCALATIONS_PG_PASSWORD": dsn["password"],
        "ESCALATIONS_PG_DBNAME": dsn["dbname"],
    }


def spark_unavailable() -> str | None:
    """Why a local Spark session (dbt-spark's ``session`` method) cannot run here, or None."""
    missing = [
        package
        for package, module in (("pyspark", "pyspark"), ("dbt-spark", "dbt.adapters.spark"))
        if importlib.util.find_spec(module) is None
    ]
    if missing:
        return f"{', '.join(missing)} not installed (pip install -e '.[spark]')"
    java = shutil.which("java") or (
        Path(os.environ["JAVA_HOME"]) / "bin" / "java" if "JAVA_HOME" in os.environ else None
    )
    if not java or not Path(java).exists():
        return "no Java runtime (Spark needs Java 17: set JAVA_HOME or put java on the PATH)"
    return None


@contextlib.contextmanager
def spark_thrift_server(home: Path, timeout: float = 300) -> Iterator[dict[str, str]]:
    """A Spark Thrift server (pyspark's own HiveThriftServer2) for one home: its warehouse folder
    and Derby metastore where the `spark` target keeps them (HOME/spark/), listening on a free local
    port; the ESCALATIONS_* settings of the `spark_thrift` target. Stopped, with its JVM, on exit."""
    import pyspark

    if why := spark_unavailable():
        raise RuntimeError(why)
    for module in ("pyhive", "thrift_sasl"):
        if importlib.util.find_spec(module) is None:
            raise RuntimeError(f"{module} not installed (pip install -e '.[spark]')")
    spark_home = Path(pyspark.__file__).parent
    warehouse, metastore = home / "spark" / "warehouse", home / "spark" / "metastore_db"
    warehouse.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    log = (home / "spark" / "thrift-server.log").open("w")
    server = subprocess.Popen(
        [
            str(spark_home / "bin" / "spark-submit"),
            "--class",
            "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2",
            "--conf",
            f"spark.sql.warehouse.dir={warehouse}",
            "--conf",
            f"spark.hadoop.javax.jdo.option.ConnectionURL=jdbc:derby:;databaseName={metastore};create=true",
            "--conf",
            f"spark.driver.extraJavaOptions=-Dderby.stream.error.file={metastore}.derby.log",
            "--conf",
            "spark.sql.session.timeZone=UTC",
            "--conf",
            "spark.sql.shuffle.partitions=4",
            "--conf",
            "spark.ui.enabled=false",
            "--hiveconf",
            f"hive.server2.thrift.port={port}",
            "--hiveconf",
            "hive.server2.thrift.bind.host=127.0.0.1",
            "spark-internal",
        ],
        cwd=home / "spark",
        env={**os.environ, "SPARK_HOME": str(spark_home)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"the Thrift server exited ({server.returncode}): see {log.name}")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the Thrift server did not listen within {timeout:.0f} s: see {log.name}")
            time.sleep(1)
        yield {
            "ESCALATIONS_SPARK_THRIFT_HOST": "127.0.0.1",
            "ESCALATIONS_SPARK_THRIFT_PORT": str(port),
            "ESCALATIONS_SPARK_THRIFT_USER": "escalations",
            "ESCALATIONS_SPARK_WAREHOUSE_DIR": str(warehouse),
        }
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, 15)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
            server.wait()
        log.close()
