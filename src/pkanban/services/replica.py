"""Continuous replication of the board with Litestream, and restores from its replica.

Litestream (the `pkanban[replica]` extra) streams the board's WAL to object storage or a path
and restores it to any point in time; we never write our own sync. The replica's URL is stored
in the board (`board_meta` key `replica`, an undoable action) with the board's own id, so a
board refuses to replicate into a path another board already writes — Litestream 0.5 itself
does not: it silently takes over a replica whose database differs. Credentials never go into
the board: Litestream reads them from the environment or its own config.

While a replica is set, pkanban's connections leave checkpoints to Litestream
(`wal_autocheckpoint=0`, see `store.database`): an outside checkpoint makes it lose its place.
Litestream ships commits straight from the WAL file, including one a killed writer wrote but
never published, which SQLite then drops: before every start `check_replica` compares the
replica with the board and uploads a fresh snapshot when they differ.
"""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import sysconfig
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from functools import partial
from hashlib import sha256
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from platformdirs import user_cache_path

from pkanban.domain.errors import InvalidInput, PkanbanError
from pkanban.domain.text import clean_text
from pkanban.io import files
from pkanban.store import replica as replica_files
from pkanban.store.board import meta_text
from pkanban.store.database import BoardFileError, Store, inspect_board, open_store

META_KEY = "replica"
INSTALL_HINT = (
    "Replication needs Litestream: install pkanban with its replica extra —"
    " `uv tool install 'pkanban[replica]'` or `pip install 'pkanban[replica]'`"
)
# What Litestream 0.5 replicates to (webdavs is webdav over TLS).
SCHEMES = ("s3", "gs", "abs", "sftp", "file", "webdav", "webdavs", "nats", "oss")
_SECRET_WORDS = ("secret", "password", "passwd", "token", "credential", "accesskey", "sas", "sig")
BEHIND_AFTER_SECONDS = 10
STOP_WAIT_SECONDS = 10


@dataclass(frozen=True)
class ReplicaSetting:
    """The replica a board streams to (`url` None: off) and the board's own id."""

    url: str | None
    board_id: str


@dataclass(frozen=True)
class ReplicaStatus:
    """What `replica status` prints and the board header shows in a few characters."""

    url: str | None
    state: str  # off · ok · behind · waiting (nothing replicates now) · failing
    running: bool
    replicated_txid: str | None = None
    replicated_at: str | None = None
    last_change_at: str | None = None
    lag_seconds: int | None = None
    reason: str = ""

    def as_json(self) -> dict:
        return asdict(self)

    @property
    def badge(self) -> str:
        """The header's few characters: `⇅ 0s`, `⇅ 42s`, `⇅ failing`, `⇅ paused`."""
        if self.state == "failing":
            return "⇅ failing"
        if self.state == "waiting":
            return "⇅ paused"
        return f"⇅ {self.lag_seconds or 0}s"


def validated_url(raw: str) -> str:
    """A replica URL Litestream understands, with no credential in it."""
    url = raw.strip()
    if clean_text(url) != url or not url.isprintable() or " " in url:
        raise InvalidInput("A replica URL has no spaces or control characters")
    parts = urlsplit(url)
    schemes = ", ".join(f"{scheme}://" for scheme in SCHEMES)
    if parts.scheme.lower() not in SCHEMES:
        raise InvalidInput(f"A replica URL starts with one of {schemes} (e.g. s3://bucket/board)")
    if parts.password is not None or any(
        word in name.lower().replace("-", "").replace("_", "")
        for name, _ in parse_qsl(parts.query)
        for word in _SECRET_WORDS
    ):
        raise InvalidInput(
            "Credentials never go into the board: take the password or key out of the URL and"
            " give it to Litestream through the environment (e.g. AWS_ACCESS_KEY_ID and"
            " AWS_SECRET_ACCESS_KEY) or its own config file"
        )
    if parts.scheme == "file":
        if parts.netloc or not parts.path.startswith("/"):
            raise InvalidInput("A file replica is an absolute path: file:///path/to/replica")
    elif not parts.netloc:
        raise InvalidInput(f"{files.shown(url)} names no bucket or host")
    if parts.scheme == "s3" and len(parts.hostname or "") < 3:
        raise InvalidInput("An S3 bucket name has at least 3 characters")
    return url


def replica_setting(conn: sqlite3.Connection) -> ReplicaSetting | None:
    text = meta_text(conn, META_KEY)
    if text is None:
        return None
    value = json.loads(text)
    if not isinstance(value, dict):  # undone back to before any replica was set
        return None
    return ReplicaSetting(value.get("url"), value.get("board_id") or "")


def replica_url(conn: sqlite3.Connection) -> str | None:
    setting = replica_setting(conn)
    return setting.url if setting else None


def set_replica(store: Store, today: date, raw: str) -> str | None:
    """`config set replica URL` / `off`: one recorded, undoable action. Returns the URL."""
    off = raw.strip().lower() == "off"
    url = None if off else validated_url(raw)
    if url is not None:
        litestream_binary()
    with store.transaction():
        current = replica_setting(store.conn)
        board_id = current.board_id if current and current.board_id else uuid.uuid4().hex
        summary = "Replication off" if off else f"Replicate to {url}"
        with store.action("settings changed", summary, today) as log:
            log.set_meta(META_KEY, {"url": url, "board_id": board_id})
    replica_files.set_autocheckpoint(store.conn, on=not url)
    return url


def litestream_binary() -> Path:
    """The Litestream binary the replica extra installed beside our Python, or on the PATH."""
    name = "litestream.exe" if os.name == "nt" else "litestream"
    for folder in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which(name)
    if found is None:
        raise PkanbanError(INSTALL_HINT)
    return Path(found)


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            [str(litestream_binary()), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise PkanbanError(f"Litestream did not answer within {timeout:.0f} s") from None
    except OSError as error:
        raise PkanbanError(f"Litestream cannot run here: {error.strerror}") from None


def _reason(completed: subprocess.CompletedProcess) -> str:
    """Litestream's own last error line, as one sentence."""
    lines = [line.strip() for line in (completed.stderr or "").splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()] or lines
    text = errors[-1] if errors else f"exit code {completed.returncode}"
    return files.shown(text.removeprefix("Error: ").removeprefix("error: "))


# Positions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    txid: str
    at: datetime


def replica_position(url: str) -> Position | None:
    """The newest transaction the replica holds (None: it is empty), or refuse with why."""
    completed = _run("ltx", "-json", "-level", "all", url, timeout=60)
    if completed.returncode != 0:
        raise PkanbanError(f"Cannot read the replica at {files.shown(url)}: {_reason(completed)}")
    try:
        entries = json.loads(completed.stdout or "[]") or []
    except json.JSONDecodeError:
        raise PkanbanError("Litestream listed the replica in an unknown form") from None
    if not entries:
        return None
    newest = max(entries, key=lambda entry: (entry["max_txid"], entry["timestamp"]))
    return Position(newest["max_txid"], _parse_time(newest["timestamp"]))


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


# Restores ------------------------------------------------------------------------------------


@contextmanager
def restored_copy(url: str, at: datetime | None = None) -> Iterator[Path]:
    """The replica restored (as of `at`, or the latest) into a private temporary folder and
    checked: integrity, a pkanban board, a schema this pkanban knows. Removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="pkanban-replica-"))
    try:
        path = restore_into(url, folder / "restored.db", at)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def restore_into(url: str, path: Path, at: datetime | None = None) -> Path:
    """`litestream restore` into a path that does not exist yet, then check the result."""
    args = ["restore", "-o", str(path)]
    if at is not None:
        args += ["-timestamp", at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")]
    completed = _run(*args, url)
    if completed.returncode != 0 or not path.exists():
        reason = _reason(completed)
        if any(text in reason.lower() for text in ("no matching backup", "does not exist")):
            when = f" from before {at:%Y-%m-%d %H:%M}" if at else ""
            raise PkanbanError(f"The replica at {files.shown(url)} holds no board{when}")
        raise PkanbanError(f"Restore from {files.shown(url)} failed: {reason}")
    os.chmod(path, 0o600)
    try:
        inspect_board(path)
        result = replica_files.integrity(path)
    except BoardFileError as error:
        said = str(error).replace(str(path), f"The replica at {url}")
        raise BoardFileError(said + _EARLIER if at is None else said) from None
    if result != "ok":
        said = f"The replica at {files.shown(url)} restores damaged: {result}"
        raise BoardFileError(said + _EARLIER if at is None else said)
    return path


# Why a newest board can be damaged, and the way out (see `check_replica`).
_EARLIER = (
    " — its board uploads a fresh snapshot when it next replicates; until then restore an"
    " earlier moment with `--at`"
)


def restore_board(store: Store, today: date, url: str, at: datetime | None = None) -> Path:
    """Replace the board with the replica (as of `at`), after backing it up; return the path
    of that safety backup. Goes through `backup.restore`, so the same checks and staging."""
    from pkanban.services import backup

    if store.read_only:
        raise PkanbanError(store.read_only_reason)
    with restored_copy(validated_url(url), at) as path:
        return backup.restore(store, today, path)


def restore_to_file(
    url: str, destination: Path, today: date, at: datetime | None = None, *, replace: bool = False
) -> Path:
    """Write the replica (as of `at`) to a new board file. Replication is off in the copy: it
    is a second board, and two boards never write one replica."""
    url = validated_url(url)
    destination = Path(destination).expanduser()
    files.check_target(destination, replace=replace)
    with restored_copy(url, at) as path:
        copy = replica_files.writable_copy(path)
        try:
            setting = replica_setting(copy.conn)
            if setting and setting.url:
                summary = "Replication off in a copy restored from its replica"
                with copy.action("settings changed", summary, today) as log:
                    log.set_meta(META_KEY, {"url": None, "board_id": uuid.uuid4().hex})
            replica_files.leave_wal(copy.conn)
        finally:
            copy.close()

        def fill(descriptor: int, _: Path) -> None:
            with path.open("rb") as reading:
                while chunk := reading.read(1 << 20):
                    os.write(descriptor, chunk)

        return files.write_file(destination, fill, replace=replace)


# A second machine: a read-only view --------------------------------------------------------

VIEW_READ_ONLY = (
    "This is a read-only view of a replica — change the board on the machine that writes it"
)


def refresh_view(url: str) -> Path:
    """The replica's latest board, restored and checked, as a private file in the cache folder
    (`view-<hash of the URL>.db`), replaced whole on every refresh. It is migrated to this
    pkanban's schema and kept in rollback-journal mode, so a read-only open needs no side
    files; replication is never started from it (it opens read-only)."""
    url = validated_url(url)
    view = state_folder() / f"view-{sha256(url.encode()).hexdigest()[:16]}.db"
    with restored_copy(url) as path:
        open_store(path).close()  # migrates a replica written by an older pkanban
        # A view is never a second writer: its copy forgets where the board streams to.
        replica_files.forget_meta(path, META_KEY)
        staged = view.with_name(f".{view.name}.{os.getpid()}.tmp")
        shutil.copyfile(path, staged)
        os.chmod(staged, 0o600)
        os.replace(staged, view)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{view}{suffix}").unlink(missing_ok=True)
    return view


# Running Litestream --------------------------------------------------------------------------


def state_folder() -> Path:
    folder = user_cache_path("pkanban", appauthor=False) / "replica"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _state_file(board: Path, suffix: str) -> Path:
    key = sha256(str(Path(board).resolve()).encode()).hexdigest()[:16]
    return state_folder() / f"{key}{suffix}"


def check_owner(url: str, board_id: str) -> None:
    """Refuse a replica path that holds another board (Litestream 0.5 would take it over)."""
    check_replica(None, url, board_id)


def check_replica(board: Path | None, url: str, board_id: str) -> str:
    """Before Litestream starts for `board`: refuse a replica that holds another board, and
    reseed one whose latest board is not what this board committed. Returns what was done,
    or "" when the replica was fine.

    Litestream 0.5 ships every commit it finds in the WAL file, but a writer killed between
    writing its commit there and publishing it in the wal-index (the `-shm`) has committed
    nothing: SQLite drops that transaction at the next write — Litestream's own checkpoint
    included — and the replica then holds an action the board never kept, or a damaged newest
    board when later changes land on top of it. A fresh snapshot puts the replica back on the
    board (its history keeps the earlier states for `--at`).
    """
    if replica_position(url) is None:
        return ""
    try:
        with restored_copy(url) as path, replica_files.read_only(path) as conn:
            setting = replica_setting(conn)
            if setting is None or setting.board_id != board_id:
                raise PkanbanError(
                    f"{files.shown(url)} already holds the replica of another board — give"
                    " this board its own path (`pkanban config set replica URL`); two boards"
                    " never share one"
                )
            differs = diverged_action(board, conn) if board is not None else ""
    except BoardFileError:
        if board is None:
            raise
        differs = ""
        why = "The replica's newest board restored damaged"
    else:
        if not differs or board is None:
            return ""
        why = f"The replica held {differs}, which this board does not hold"
    reseed(board, url)
    return (
        f"{why} (a pkanban killed while Litestream read its last write, or a board restored"
        " from an older copy): a fresh snapshot of the board was uploaded, and the replica"
        " restores to it"
    )


def diverged_action(board: Path, replicated: sqlite3.Connection) -> str:
    """The first action of the replica that the board does not hold as it is ("" if none):
    the replica's history must be a prefix of the board's."""
    newest = replica_files.newest_action(replicated)
    if newest is None:
        return ""
    with replica_files.read_only(board) as conn:
        kept = replica_files.actions_up_to(conn, newest)
    shipped_rows = replica_files.actions_up_to(replicated, newest)
    for shipped, own in zip(shipped_rows, [*kept, None], strict=False):
        if shipped != own:
            return f"action #{shipped[0]} ({clean_text(shipped[2])})"
    return ""


def reseed(board: Path, url: str) -> None:
    """A whole snapshot of the board to the replica, now (`litestream replicate -once
    -force-snapshot`): restores from then on start from it, not from what went before."""
    completed = _run(
        "replicate", "-once", "-force-snapshot", str(Path(board).resolve()), url, timeout=300
    )
    if completed.returncode != 0:
        raise PkanbanError(
            f"The replica at {files.shown(url)} differs from the board and a fresh snapshot"
            f" could not be uploaded: {_reason(completed)}"
        )


def replicate_command(board: Path, url: str, *, watch_pid: int | None = None) -> list[str]:
    """Litestream's argv for this board; with `watch_pid` it stops when that process ends
    (even killed), through Litestream's own `-exec`."""
    argv = [str(litestream_binary()), "replicate"]
    if watch_pid is not None:
        argv += ["-exec", f"sh -c 'while kill -0 {watch_pid} 2>/dev/null; do sleep 1; done'"]
    return [*argv, str(Path(board).resolve()), url]


def child_environment() -> dict[str, str]:
    return dict(os.environ)


class Replicator:
    """Litestream as a child process of the open board: started in a worker after the board
    is drawn, stopped (a final sync, then exit) when the board closes."""

    def __init__(self, store: Store):
        self.board = store.path
        setting = replica_setting(store.conn)
        self.url = setting.url if setting else None
        self.board_id = setting.board_id if setting else ""
        self.process: subprocess.Popen | None = None
        self.error = ""
        self.notice = ""

    def start(self) -> bool:
        """Start Litestream unless the replica belongs to another board; False (and `error`
        says why) when it cannot run."""
        if not self.url:
            return False
        try:
            self.notice = check_replica(self.board, self.url, self.board_id)
            argv = replicate_command(self.board, self.url, watch_pid=os.getpid())
            log = _state_file(self.board, ".log")
            with open(log, "ab") as output:
                os.chmod(log, 0o600)
                self.process = subprocess.Popen(
                    argv,
                    stdin=subprocess.DEVNULL,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    env=child_environment(),
                    start_new_session=True,
                )
            mark_running(self.board, self.process.pid)
        except (PkanbanError, OSError) as error:
            self.error = str(error)
            return False
        return True

    def stop(self) -> None:
        process = self.process
        if process is None:
            return
        self.process = None
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(STOP_WAIT_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        _state_file(self.board, ".pid").unlink(missing_ok=True)


def mark_running(board: Path, pid: int) -> None:
    _state_file(board, ".pid").write_text(str(pid))


def is_running(board: Path) -> bool:
    """Whether a Litestream that pkanban started for this board is alive."""
    try:
        pid = int(_state_file(board, ".pid").read_text())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return False
    cmdline = Path(f"/proc/{pid}/cmdline")
    with suppress(OSError):
        return b"litestream" in cmdline.read_bytes() or b"pkanban" in cmdline.read_bytes()
    return True


# Status --------------------------------------------------------------------------------------


def status(store: Store, now: datetime | None = None) -> ReplicaStatus:
    """Where the replica stands against the board's last change."""
    url = replica_url(store.conn)
    if not url:
        return ReplicaStatus(None, "off", False, reason="No replica is set")
    now = now or datetime.now(UTC)
    running = is_running(store.path)
    last = replica_files.last_change_at(store.conn)
    last_at = datetime.fromisoformat(last).astimezone(UTC) if last else None
    try:
        position = replica_position(url)
    except PkanbanError as error:
        return ReplicaStatus(url, "failing", running, last_change_at=last, reason=str(error))
    shipped = position is not None and (last_at is None or position.at >= last_at)
    with_facts = partial(
        ReplicaStatus,
        replicated_txid=position.txid if position else None,
        replicated_at=position.at.isoformat() if position else None,
        last_change_at=last,
    )
    if shipped:
        reason = "" if running else "Nothing replicates now; the board is up to date on the replica"
        return with_facts(url, "ok", running, lag_seconds=0, reason=reason)
    lag = int((now - last_at).total_seconds()) if last_at else 0
    if not running:
        return with_facts(
            url,
            "waiting",
            False,
            lag_seconds=lag,
            reason="Nothing replicates now: the latest changes ship with the next run of the"
            " board or `pkanban replicate`",
        )
    log_error = last_log_error(store.path)
    if log_error and lag > BEHIND_AFTER_SECONDS:
        return with_facts(url, "failing", True, lag_seconds=lag, reason=log_error)
    state = "behind" if lag > BEHIND_AFTER_SECONDS else "ok"
    return with_facts(url, state, True, lag_seconds=lag)


def last_log_error(board: Path) -> str:
    """The newest error line of the board's Litestream log, if any."""
    try:
        lines = _state_file(board, ".log").read_text(errors="replace").splitlines()[-200:]
    except OSError:
        return ""
    for line in reversed(lines):
        if "level=ERROR" in line:
            return files.shown(line.split("msg=", 1)[-1])[:200]
    return ""
