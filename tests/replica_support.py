"""Helpers for the replication tests: Litestream for a board, a local S3 server (moto), and
waiting — bounded — until the replica holds what the board holds."""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from pkanban.domain.errors import PkanbanError
from pkanban.services import replica
from tests.reliability.canonical import dump


def litestream_or_skip() -> Path:
    """The binary, or skip (saying why) where it cannot run on this platform."""
    try:
        binary = replica.litestream_binary()
        subprocess.run([str(binary), "version"], check=True, capture_output=True, timeout=30)
    except (PkanbanError, OSError, subprocess.SubprocessError) as error:
        pytest.skip(f"Litestream cannot run here: {error}")
    return binary


@pytest.fixture
def litestream(tmp_path, monkeypatch) -> Path:
    """Litestream ready to run: state files in the test's folder, and no AWS_CA_BUNDLE (this
    machine sets one that Litestream's S3 client cannot load)."""
    binary = litestream_or_skip()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("AWS_CA_BUNDLE", raising=False)
    return binary


@contextmanager
def replicating(board: Path, url: str, *, watch_pid: int | None = None):
    """`litestream replicate` for the board until the block ends (then a clean stop)."""
    process = subprocess.Popen(
        replica.replicate_command(board, url, watch_pid=watch_pid),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for_replica(url: str, board: Path, timeout: float = 40) -> None:
    """Until a restore of the replica equals the board (bounded: fails after `timeout`)."""
    expected = dump(board)
    deadline = time.monotonic() + timeout
    while True:
        try:
            with replica.restored_copy(url) as copy:
                if dump(copy) == expected:
                    return
        except PkanbanError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"the replica did not catch up within {timeout} s")
        time.sleep(0.5)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def s3_server(monkeypatch):
    """A moto S3 server on 127.0.0.1 (a free port) with a bucket; yields the replica URL of a
    board in it. Stopped when the block ends."""
    pytest.importorskip("moto")
    import boto3

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    for name, value in (
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_DEFAULT_REGION", "us-east-1"),
    ):
        monkeypatch.setenv(name, value)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError("the local S3 server did not start") from None
                time.sleep(0.2)
        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(
            Bucket="pkanban-test"
        )
        yield f"s3://pkanban-test/board?endpoint={endpoint}&region=us-east-1&forcePathStyle=true"
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def environment_without_ca_bundle() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key != "AWS_CA_BUNDLE"}
