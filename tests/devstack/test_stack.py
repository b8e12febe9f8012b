"""The embedded stack itself: PostgreSQL from its wheel, Tansu, and service processes.

Self-contained (module-scoped fixtures of its own) so that it checks devstack independently of
the session-wide stack the rest of the suite shares.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from devstack.__main__ import AlreadyRunning, only_run
from devstack.broker import TansuBroker
from devstack.ports import free_port, wait_for_port
from devstack.postgres import PostgresError, PostgresServer
from devstack.processes import ServiceProcess, ServiceStartError

IS_ROOT = os.geteuid() == 0


def _world_readable_tempdir() -> Path:
    # As root, PostgreSQL runs as `nobody`, which must be able to enter the directory.
    root = Path(tempfile.mkdtemp(prefix="devstack-test-"))
    root.chmod(0o755)
    return root


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    root = _world_readable_tempdir()
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres(workdir: Path) -> Iterator[PostgresServer]:
    with PostgresServer(workdir / "postgres") as server:
        yield server


@pytest.fixture(scope="module")
def broker(workdir: Path) -> Iterator[TansuBroker]:
    with TansuBroker(log_path=workdir / "tansu.log") as server:
        yield server


# -- ports ------------------------------------------------------------------------------------


def test_free_port_is_bindable_and_wait_for_port_times_out() -> None:
    port = free_port()
    first_ephemeral = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    # Below the ports outgoing connections get, and never handed out twice.
    assert port < first_ephemeral
    assert len({free_port() for _ in range(50)} | {port}) == 51
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        wait_for_port("127.0.0.1", port, timeout=0.2)
    assert time.monotonic() - started < 2


# -- PostgreSQL -------------------------------------------------------------------------------


async def test_postgres_database_with_chinese_trigrams(postgres: PostgresServer) -> None:
    name = f"devstack_{uuid.uuid4().hex[:8]}"
    postgres.create_database(name)
    postgres.create_database(name)  # idempotent
    assert postgres.url(name) == f"postgresql+asyncpg://postgres@127.0.0.1:{postgres.port}/{name}"

    connection = await asyncpg.connect(postgres.dsn(name))
    try:
        assert (
            await connection.fetchval("SELECT datctype FROM pg_database WHERE datname = $1", name)
            == "C.UTF-8"
        )
        await connection.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        await connection.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
        assert await connection.fetchval("SELECT cardinality(show_trgm('电池检测')) > 0")
        await connection.execute(
            "CREATE TABLE patent (id int PRIMARY KEY, org text, title text);"
            "CREATE INDEX patent_title ON patent USING gin (title gin_trgm_ops);"
            "CREATE INDEX patent_org_title ON patent USING gin (org, title gin_trgm_ops)"
        )
        await connection.executemany(
            "INSERT INTO patent VALUES ($1, $2, $3)",
            [
                (1, "清华大学", "一种锂离子电池健康状态在线检测方法"),
                (2, "清华大学", "一种固态电解质薄膜的低温制备方法"),
            ],
        )
        await connection.execute("SET enable_seqscan = off")  # make the planner use the index
        rows = await connection.fetch(
            "SELECT id FROM patent WHERE org = '清华大学' AND title LIKE '%电池健康%'"
        )
        assert [r["id"] for r in rows] == [1]
    finally:
        await connection.close()

    postgres.drop_database(name)
    postgres.drop_database(name)  # idempotent
    with pytest.raises(asyncpg.InvalidCatalogNameError):
        await asyncpg.connect(postgres.dsn(name))


def test_postgres_psql_reports_errors(postgres: PostgresServer) -> None:
    assert postgres.psql("SELECT 1 + 1") == "2"
    with pytest.raises(PostgresError, match="no_such_table"):
        postgres.psql("SELECT * FROM no_such_table")


def test_postgres_keeps_its_cluster_between_runs(workdir: Path) -> None:
    data_dir = workdir / "kept"
    with PostgresServer(data_dir) as first:
        first.create_database("kept")
        first.psql("CREATE TABLE t (v text)", "INSERT INTO t VALUES ('保留')", database="kept")
    first.stop()  # idempotent
    assert not first.running

    second = PostgresServer(data_dir)
    second.start()
    try:
        assert second.data_dir == data_dir
        assert second.psql("SELECT v FROM t", database="kept") == "保留"
    finally:
        second.destroy()
    assert not second.running
    assert not data_dir.exists()


@pytest.mark.skipif(not IS_ROOT, reason="the fallback exists for root only")
def test_postgres_keeps_an_unreachable_dirs_cluster_in_a_stable_place(workdir: Path) -> None:
    private = workdir / "private-stable"
    private.mkdir(mode=0o700)
    requested = private / "postgres"
    with PostgresServer(requested) as first:
        stable = first.data_dir
        assert not stable.is_relative_to(private)
        assert (requested / "cluster").resolve() == stable  # where a user finds the cluster
        first.psql("CREATE TABLE t (v text)", "INSERT INTO t VALUES ('x')")

    # Deleting the requested directory throws the data away, as it does without the detour.
    shutil.rmtree(requested)
    second = PostgresServer(requested)
    try:
        second.start()
        assert second.data_dir == stable
        assert second.psql("SELECT to_regclass('t') IS NULL") == "t"
    finally:
        second.destroy()
    assert not second.running
    assert not stable.exists()
    assert not requested.exists()


@pytest.mark.skipif(not IS_ROOT, reason="the fallback exists for root only")
def test_postgres_throwaway_fallback_when_nobody_cannot_reach_the_dir(workdir: Path) -> None:
    private = workdir / "private"
    private.mkdir(mode=0o700)
    server = PostgresServer(private / "postgres", throwaway_fallback=True)
    with server:
        assert not server.data_dir.is_relative_to(private)
        assert server.psql("SELECT current_user") == "postgres"
    assert not server.data_dir.exists()  # the throw-away directory is removed
    assert not (private / "postgres" / "cluster").exists()


# -- Tansu ------------------------------------------------------------------------------------


async def _create_topic(bootstrap: str, topic: str, partitions: int = 3) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics(
            [NewTopic(topic, num_partitions=partitions, replication_factor=1)]
        )
        assert topic in await admin.list_topics()
    finally:
        await admin.close()


async def test_broker_round_trip_with_a_consumer_group(broker: TansuBroker) -> None:
    assert broker.version.startswith("0.")
    topic = f"devstack-{uuid.uuid4().hex[:8]}"
    await _create_topic(broker.bootstrap_servers, topic)

    sent = [
        (
            f"patent-{i % 3}".encode(),
            f"第{i}号事件".encode(),
            [("ce_id", str(i).encode()), ("ce_type", "专利.登记".encode())],
        )
        for i in range(10)
    ]
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap_servers, acks="all")
    await producer.start()
    try:
        for key, value, headers in sent:
            await producer.send_and_wait(topic, value, key=key, headers=headers)
    finally:
        await asyncio.wait_for(producer.stop(), 10)

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=broker.bootstrap_servers,
        group_id=f"group-{topic}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        session_timeout_ms=6000,
        heartbeat_interval_ms=2000,
        fetch_max_wait_ms=10,
    )
    await consumer.start()
    received: list[tuple[bytes, bytes, list[tuple[str, bytes]]]] = []
    try:
        deadline = time.monotonic() + 15
        while len(received) < len(sent) and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=200)
            for records in batches.values():
                received += [(r.key, r.value, list(r.headers)) for r in records]
        await consumer.commit()
    finally:
        await asyncio.wait_for(consumer.stop(), 10)

    assert sorted(received) == sorted(sent)
    for key in {k for k, _, _ in sent}:  # ordered per key
        assert [v for k, v, _ in received if k == key] == [v for k, v, _ in sent if k == key]


async def test_broker_pause_and_resume(broker: TansuBroker) -> None:
    topic = f"devstack-{uuid.uuid4().hex[:8]}"
    await _create_topic(broker.bootstrap_servers, topic, partitions=1)
    producer = AIOKafkaProducer(
        bootstrap_servers=broker.bootstrap_servers, request_timeout_ms=15000
    )
    await producer.start()
    try:
        await producer.send_and_wait(topic, b"before")
        broker.pause()
        try:
            assert broker.paused
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(producer.send_and_wait(topic, b"during"), 1.0)
        finally:
            broker.resume()
        metadata = await asyncio.wait_for(producer.send_and_wait(topic, b"after"), 10)
        assert metadata.offset >= 1
    finally:
        await asyncio.wait_for(producer.stop(), 10)


async def _cluster_id(bootstrap: str) -> str:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        return str((await admin.describe_cluster())["cluster_id"])
    finally:
        await admin.close()


async def test_broker_reports_a_new_cluster_id_at_each_start(
    broker: TansuBroker, workdir: Path
) -> None:
    # Memory storage: every start is a new cluster, and says so (outbox relays rely on it).
    assert broker.cluster_id is not None
    assert await _cluster_id(broker.bootstrap_servers) == broker.cluster_id
    again = TansuBroker(log_path=workdir / "tansu-restart.log")
    ids = []
    for _ in range(2):
        again.start()
        try:
            ids.append(await _cluster_id(again.bootstrap_servers))
        finally:
            again.stop()
    assert len(set(ids)) == 2
    assert broker.cluster_id not in ids
    fixed = TansuBroker(cluster_id="ipmarket-fixed", log_path=workdir / "tansu-fixed.log")
    with fixed:
        assert await _cluster_id(fixed.bootstrap_servers) == "ipmarket-fixed"


# -- service processes ------------------------------------------------------------------------

_FAKE_SERVICE = textwrap.dedent(
    """
    import http.server, os

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/health/ready" else 404)
            self.end_headers()

        def log_message(self, *args):
            pass

    print("fake service listening", flush=True)
    http.server.HTTPServer(("127.0.0.1", int(os.environ["FAKE_PORT"])), Handler).serve_forever()
    """
)


def test_service_process_lifecycle(workdir: Path) -> None:
    modules = workdir / "modules"
    modules.mkdir()
    (modules / "fake_service.py").write_text(_FAKE_SERVICE)
    (modules / "crashing_service.py").write_text(
        "print('boom: bad settings')\nraise SystemExit(3)\n"
    )
    port = free_port()
    env = {"PYTHONPATH": str(modules), "FAKE_PORT": str(port)}

    service = ServiceProcess("fake", "fake_service", env, port, workdir / "logs" / "fake.log")
    service.start()
    try:
        service.wait_ready(timeout=10)
        assert service.is_running()
        assert httpx.get(f"{service.url}/health/ready").status_code == 200
    finally:
        assert service.stop(timeout=5) == -15  # SIGTERM: the fake has no handler for it
    assert not service.is_running()
    assert "fake service listening" in service.log_tail()

    service.start()  # a restart after exit, as crash tests do
    service.wait_ready(timeout=10)
    service.kill()
    assert service.returncode == -9

    crashing = ServiceProcess(
        "crashing", "crashing_service", env, free_port(), workdir / "logs" / "crashing.log"
    )
    crashing.start()
    with pytest.raises(ServiceStartError, match="boom: bad settings"):
        crashing.wait_ready(timeout=10)
    assert crashing.stop() == 3


def test_a_port_answered_by_another_process_is_not_taken_for_ready(workdir: Path) -> None:
    modules = workdir / "modules"
    modules.mkdir(exist_ok=True)
    (modules / "fake_service.py").write_text(_FAKE_SERVICE)
    # Like a service whose bind fails after its start-up: the port was taken meanwhile.
    (modules / "unbound_service.py").write_text(
        "import time\ntime.sleep(1)\nprint('address already in use')\nraise SystemExit(1)\n"
    )
    port = free_port()
    env = {"PYTHONPATH": str(modules), "FAKE_PORT": str(port)}
    other = ServiceProcess("other", "fake_service", env, port, workdir / "logs" / "other.log")
    other.start()
    try:
        other.wait_ready(timeout=10)
        ours = ServiceProcess("ours", "unbound_service", env, port, workdir / "logs" / "ours.log")
        ours.start()
        with pytest.raises(ServiceStartError, match="address already in use"):
            ours.wait_ready(timeout=10)
        assert ours.stop() == 1
    finally:
        other.stop(timeout=5)


def test_a_second_run_of_the_same_clone_is_refused_until_the_first_ends(workdir: Path) -> None:
    # Two runs on one .devstack shared one cluster: the second stopped the first's server.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, pathlib\n"
            "from devstack.__main__ import only_run\n"
            "with only_run(pathlib.Path(sys.argv[1])):\n"
            "    print('holding', flush=True)\n"
            "    sys.stdin.read()\n",
            str(workdir),
        ],
        cwd=Path(__file__).resolve().parents[2],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "holding\n"
        refused = pytest.raises(AlreadyRunning, match="another `devstack run` of this clone")
        with refused, only_run(workdir):
            pass
    finally:
        holder.communicate("", timeout=10)
    with only_run(workdir):  # the first has ended: the lock went with it
        pass


def _run_and_abandon(script: str) -> str:
    """Run ``script`` in a child Python that exits with os._exit (no atexit, no finally)."""
    repo = Path(__file__).resolve().parents[2]
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie not yet reaped by init still answers kill(0).
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def _gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not _alive(pid)


def test_broker_dies_with_its_parent(workdir: Path) -> None:
    log_path = workdir / "abandoned-tansu.log"
    pid = _run_and_abandon(
        f"""
        import os
        from pathlib import Path
        from devstack.broker import TansuBroker
        broker = TansuBroker(log_path=Path({str(log_path)!r}))
        broker.start()
        print(broker.pid, flush=True)
        os._exit(0)
        """
    )
    assert _gone_within(int(pid), 5)


def test_postgres_is_stopped_when_its_parent_dies(workdir: Path) -> None:
    data_dir = workdir / "abandoned"
    _run_and_abandon(
        f"""
        import os
        from pathlib import Path
        from devstack.postgres import PostgresServer
        server = PostgresServer(Path({str(data_dir)!r}))
        server.start()
        os._exit(0)
        """
    )
    pid_file = data_dir / "pgdata" / "postmaster.pid"
    deadline = time.monotonic() + 10
    while pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not pid_file.exists()
