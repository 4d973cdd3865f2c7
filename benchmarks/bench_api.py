"""Requests per second on /api/events, served by uvicorn with 2 worker processes.

    .venv/bin/python benchmarks/bench_api.py [--requests 2000] [--concurrency 16]

Builds a store from examples/ in a temporary folder, starts the server, and fetches one page of
events (limit 50) over and over from that many concurrent connections.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from fastapi import FastAPI

from dyadwatch.api import create_app
from dyadwatch.pipeline import ingest

REPO = Path(__file__).resolve().parents[1]
DB_VARIABLE = "DYADWATCH_BENCH_DB"


def app() -> FastAPI:
    """The factory each uvicorn worker calls, over the store the benchmark built."""
    return create_app(os.environ[DB_VARIABLE])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "uvicorn", "--factory", "bench_api:app"]
    command += ["--app-dir", str(Path(__file__).parent), "--port", str(port), "--workers", "2"]
    command += ["--log-level", "warning"]
    return subprocess.Popen(command, env={**os.environ, DB_VARIABLE: str(db)})


async def wait_until_up(url: str) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(200):
            try:
                if (await client.get(url)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"server did not answer at {url}")


async def load(url: str, requests: int, concurrency: int) -> float:
    """Requests per second over ``requests`` GETs from ``concurrency`` connections."""
    remaining = iter(range(requests))
    limits = httpx.Limits(max_connections=concurrency)

    async with httpx.AsyncClient(limits=limits) as client:

        async def worker() -> None:
            for _ in remaining:
                (await client.get(url)).raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return requests / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        ingest([str(REPO / "examples")], db, workers=1)
        port = free_port()
        url = f"http://127.0.0.1:{port}/api/events?dyad=CHN-USA&limit=50"
        server = start_server(db, port)
        try:
            asyncio.run(wait_until_up(url))
            rate = asyncio.run(load(url, args.requests, args.concurrency))
        finally:
            server.terminate()
            server.wait(timeout=20)
    print(f"/api/events (limit 50), 2 workers, {args.concurrency} connections: {rate:.0f} req/s")


if __name__ == "__main__":
    main()
