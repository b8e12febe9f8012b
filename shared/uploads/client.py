"""``ipmarket-upload``: send a file to an upload endpoint and follow the job to its end.

For a tech-transfer office's staff: one command uploads the inventory exported from the
office's own system (CSV from Excel, GB18030 or UTF-8, or JSON Lines), shows the bytes
going out and then the rows being checked and committed, and saves the per-row error
report beside the file when some rows were refused::

    ipmarket-upload 盘点清单.csv --token "$IPMARKET_TOKEN"
    ipmarket-upload inventory.jsonl --url https://ipmarket.example.cn/v1/inventory/uploads \\
        --atomic --on-behalf-of 12100000400000624D

The upload's ``Idempotency-Key`` is the file's SHA-256, so running the command again
on the same file (after a dropped connection, or the next morning) follows the job the
first run started instead of uploading a second one.

Exit status: 0 every row committed; 1 some rows refused (or all, with ``--atomic``);
2 the upload itself was refused or the job failed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

DEFAULT_URL = "http://127.0.0.1:8001/v1/inventory/uploads"
CHUNK = 256 * 1024
FINAL = {"succeeded", "completed_with_errors", "rejected", "failed"}

console = Console(stderr=True)


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        for block in iter(lambda: data.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _chunks(path: Path, progress: Progress, task: Any) -> Iterator[bytes]:
    with path.open("rb") as data:
        for block in iter(lambda: data.read(CHUNK), b""):
            progress.update(task, advance=len(block))
            yield block


def _content_type(path: Path, given: str | None) -> str:
    kind = given or ("jsonl" if path.suffix.lower() in (".jsonl", ".ndjson") else "csv")
    return "application/x-ndjson" if kind == "jsonl" else "text/csv"


def _refused(response: httpx.Response) -> str:
    try:
        problem = response.json()
    except ValueError:
        return f"HTTP {response.status_code}: {response.text[:500]}"
    return f"HTTP {response.status_code}: {problem.get('detail') or problem.get('title')}"


def upload(client: httpx.Client, args: argparse.Namespace) -> dict[str, Any] | None:
    """POST the file (streamed, with its size so an oversized file is refused at once);
    the job, or None after printing why the upload was refused."""
    path: Path = args.file
    size = path.stat().st_size
    params: dict[str, str] = {}
    if args.encoding:
        params["encoding"] = args.encoding
    if args.format:
        params["format"] = args.format
    if args.atomic:
        params["atomic"] = "true"
    if args.on_behalf_of:
        params["on_behalf_of"] = args.on_behalf_of
    headers = {
        "Authorization": f"Bearer {args.token}",
        "Content-Type": _content_type(path, args.format),
        "Content-Length": str(size),
        "Idempotency-Key": f"upload-{file_digest(path)}",
    }
    with Progress(
        TextColumn("[bold]上传 uploading"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("upload", total=size)
        response = client.post(
            args.url, params=params, headers=headers, content=_chunks(path, progress, task)
        )
    if response.status_code != 202:
        console.print(f"[red]upload refused[/red] {_refused(response)}")
        return None
    job: dict[str, Any] = response.json()
    if response.headers.get("idempotent-replayed") == "true":
        console.print("this file was uploaded before: following the job it started")
    return job


def follow(
    client: httpx.Client, base: str, job: dict[str, Any], token: str, poll_s: float
) -> dict[str, Any]:
    """Poll the job until it ends, showing rows checked against the file's total. The
    job's links are relative to ``base``, the upload URL."""
    url = httpx.URL(base).join(job["links"]["self"])
    headers = {"Authorization": f"Bearer {token}"}
    with Progress(
        TextColumn("[bold]校验入库 checking rows"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("refused {task.fields[failed]}"),
        TimeRemainingColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("rows", total=job.get("rows_total") or None, failed=0)
        while True:
            progress.update(
                task,
                completed=job.get("rows_done", 0),
                total=job.get("rows_total") or None,
                failed=job.get("rows_failed", 0),
            )
            if job["status"] in FINAL:
                return job
            time.sleep(poll_s)
            response = client.get(url, headers=headers)
            response.raise_for_status()
            job = response.json()


def save_errors(
    client: httpx.Client, base: str, job: dict[str, Any], token: str, target: Path
) -> None:
    url = httpx.URL(base).join(job["links"]["errors_csv"])
    with (
        client.stream("GET", url, headers={"Authorization": f"Bearer {token}"}) as response,
        target.open("wb") as out,
    ):
        response.raise_for_status()
        for block in response.iter_bytes():
            out.write(block)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ipmarket-upload", description=__doc__.split("\n")[0])
    parser.add_argument("file", type=Path, help="the CSV or JSON Lines file")
    parser.add_argument("--url", default=os.environ.get("IPMARKET_UPLOAD_URL", DEFAULT_URL))
    parser.add_argument(
        "--token", default=os.environ.get("IPMARKET_TOKEN"), help="bearer token ($IPMARKET_TOKEN)"
    )
    parser.add_argument("--format", choices=["csv", "jsonl"], help="default: from the suffix")
    parser.add_argument("--encoding", help="utf-8, gb18030 or gbk (default: detected)")
    parser.add_argument("--atomic", action="store_true", help="commit every row or none")
    parser.add_argument("--on-behalf-of", help="operator only: the institution's USCC")
    parser.add_argument("--errors", type=Path, help="where to save the error report (CSV)")
    parser.add_argument("--poll", type=float, default=0.5, help="seconds between job reads")
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("a token is needed: --token or $IPMARKET_TOKEN")
    if not args.file.is_file():
        parser.error(f"no such file: {args.file}")

    timeout = httpx.Timeout(60.0, connect=10.0)
    with httpx.Client(timeout=timeout) as client:
        job = upload(client, args)
        if job is None:
            return 2
        job = follow(client, args.url, job, args.token, args.poll)
        status = job["status"]
        console.print(
            f"job {job['id']}: {status}; rows {job['rows_total']}, committed "
            f"{job['rows_committed']}, refused {job['rows_failed']}"
        )
        if job.get("failure"):
            console.print(f"[red]{job['failure']}[/red]")
        if job.get("rows_failed"):
            target = args.errors or args.file.with_name(args.file.name + ".errors.csv")
            save_errors(client, args.url, job, args.token, target)
            console.print(f"error report (row, field, reason): {target}")
    if status == "succeeded":
        return 0
    return 1 if status in ("completed_with_errors", "rejected") else 2


if __name__ == "__main__":
    sys.exit(main())
