"""Regenerate the board's screenshots in `screenshots/` (SVG; PNG too with `--png`).

    uv run python scripts/screenshots.py
    uv run --with cairosvg python scripts/screenshots.py --png

Each shot runs the real app headless on a fresh temporary board (the deterministic demo on a
fixed day, so the images change only when the app does), presses the keys a user would and
saves what the terminal shows. To add a shot, add a `Shot` to `SHOTS`.
"""

import argparse
import asyncio
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pkanban.services import config
from pkanban.services.demo import build_demo
from pkanban.services.transfer import ImportOptions, import_file
from pkanban.store.database import Store, open_store
from pkanban.tui.app import PkanbanApp

TODAY = date(2026, 11, 25)
OUT = Path(__file__).resolve().parents[1] / "screenshots"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "img"


def demo(store: Store) -> None:
    build_demo(store, TODAY)


def demo_over_limit(store: Store) -> None:
    build_demo(store, TODAY)
    config.update_stage(store, TODAY, "Discovery", wip_limit=4)


SAMPLE = (
    Path(__file__).resolve().parents[2] / "shared/data/crm-sales-opportunities/sales_pipeline.csv"
)
EXPORT_DAY = date(2018, 1, 1)


def imported_pipeline(store: Store) -> None:
    """One seller's real pipeline from the public CRM sample, imported as of its export day:
    every engaged deal keeps Contacted, far past its limit of 8."""
    options = ImportOptions(wheres=(("sales_agent", "Darcel Schlecht"),))
    import_file(store, EXPORT_DAY, SAMPLE, options)


def empty(store: Store) -> None:
    """A first run: nothing to add."""


async def type_quick_add(app: PkanbanApp) -> None:
    app.focused.value = "Acme Corp 12k next tue call Ana"


async def search_hits_shown(app: PkanbanApp) -> None:
    """The search runs in a worker: wait until its hits are on screen."""
    for _ in range(100):
        if "found" in str(app.screen.query_one("#search-status").content):
            return
        await asyncio.sleep(0.05)


async def workers_done(app: PkanbanApp) -> None:
    """Figures are worked out in workers (metrics): wait until they are drawn."""
    await app.workers.wait_for_complete()
    await asyncio.sleep(0.3)


@dataclass(frozen=True)
class Shot:
    name: str
    size: tuple[int, int]
    board: Callable[[Store], None] = demo
    keys: tuple[str, ...] = ()
    then: Callable[[PkanbanApp], Awaitable[None]] | None = None
    notes: str = field(default="", compare=False)
    today: date = TODAY
    out: Path = OUT


SHOTS = (
    Shot("board", (160, 48), notes="the demo board"),
    Shot("board-80x24", (80, 24), notes="the demo board in a small terminal"),
    Shot("board-empty", (120, 32), empty, notes="first run"),
    Shot("board-over-limit", (160, 48), demo_over_limit, ("l", "l"), notes="Discovery 5/4"),
    Shot(
        "board-imported-over-limit",
        (160, 40),
        imported_pipeline,
        notes="a CRM import: Contacted 83/8 · over by 75",
        today=EXPORT_DAY,
    ),
    Shot("card-detail", (160, 48), keys=("l", "enter"), notes="notes and touches, history"),
    Shot("quick-add", (160, 48), keys=("a",), then=type_quick_add, notes="read back first"),
    Shot("help", (160, 48), keys=("question_mark",), notes="every key"),
    Shot(
        "search",
        (120, 32),
        keys=("f", *"budget"),
        then=search_hits_shown,
        notes="search everything, archive included",
    ),
    Shot("settings", (160, 48), keys=("comma",), notes="stages, lanes and board settings"),
    Shot("triage", (160, 48), keys=("T",), notes="the morning triage"),
    Shot("clearance-choose", (160, 48), keys=("c",), notes="clearance: the rules", out=DOCS),
    Shot(
        "clearance-review",
        (160, 48),
        keys=("c", "enter"),
        notes="clearance: one candidate",
        out=DOCS,
    ),
    Shot(
        "clearance-summary",
        (160, 48),
        keys=("c", "enter", "s"),
        notes="clearance: the summary",
        out=DOCS,
    ),
    Shot(
        "metrics-charts",
        (160, 48),
        imported_pipeline,
        ("m",),
        workers_done,
        "metrics on a CRM import",
        EXPORT_DAY,
        DOCS,
    ),
    Shot(
        "metrics-tables",
        (160, 48),
        imported_pipeline,
        ("m", "t"),
        workers_done,
        "metrics as tables",
        EXPORT_DAY,
        DOCS,
    ),
)


async def shoot(shot: Shot, folder: Path) -> Path:
    store = open_store(folder / f"{shot.name}.db", create=True)
    try:
        shot.board(store)
        app = PkanbanApp(store, shot.today)
        async with app.run_test(size=shot.size) as pilot:
            await pilot.pause()
            await pilot.press(*shot.keys)
            if shot.then is not None:
                await shot.then(app)
            await pilot.pause()
            return Path(app.save_screenshot(filename=f"{shot.name}.svg", path=str(shot.out)))
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--png", action="store_true", help="also write PNGs (needs cairosvg)")
    options = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for shot in SHOTS:
            svg = asyncio.run(shoot(shot, Path(folder)))
            print(f"{svg.relative_to(OUT.parent)}  — {shot.notes}")
            if options.png:
                import cairosvg

                png = svg.with_suffix(".png")
                cairosvg.svg2png(url=str(svg), write_to=str(png))
                print(f"{png.relative_to(OUT.parent)}")


if __name__ == "__main__":
    main()
