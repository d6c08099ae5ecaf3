"""The flow figures are typed values; `pkanban stats --json` is derived from them, field by field
in order, so the JSON a script reads cannot drift from what the CLI and the screen read."""

import json
from dataclasses import fields
from datetime import date

import pytest

from pkanban.domain.rules import Wip
from pkanban.services.demo import build_demo
from pkanban.services.figures import (
    ChartFigures,
    DetailFigures,
    ExpectedToClose,
    Forecast,
    OpenThrough,
    Period,
    WinsBy,
    as_json,
)
from pkanban.services.metrics import flow_figures, flow_metrics


def test_the_json_has_the_typed_figures_keys_in_their_order(store, today):
    build_demo(store, today)
    figures = flow_figures(store, today)
    printed = flow_metrics(store, today)
    expected = [f.name for f in fields(ChartFigures)] + [f.name for f in fields(DetailFigures)]
    assert list(printed) == expected
    assert printed == figures.as_json()
    assert json.loads(json.dumps(printed)) == printed  # nothing but JSON values


def test_days_become_iso_text_and_an_open_forecast_stays_null():
    forecast = Forecast(
        runs=1000,
        seed=8,
        sample_weeks=["2026-W47"],
        wins_by=WinsBy(date(2027, 2, 24), 13, 4, 2, 1),
        open_through=OpenThrough(12, 156, date(2027, 1, 6), None, None),
        expected_to_close=ExpectedToClose(date(2026, 11, 30), 0),
    )
    assert as_json(forecast) == {
        "runs": 1000,
        "seed": 8,
        "sample_weeks": ["2026-W47"],
        "wins_by": {"date": "2027-02-24", "weeks": 13, "c50": 4, "c85": 2, "c95": 1},
        "open_through": {
            "cards": 12,
            "max_weeks": 156,
            "c50": "2027-01-06",
            "c85": None,
            "c95": None,
        },
        "expected_to_close": {"by": "2026-11-30", "cards": 0},
    }
    assert as_json(Period(None, date(2026, 11, 25))) == {"since": None, "until": "2026-11-25"}


def test_a_stage_over_its_limit_reads_as_the_board_shows_it():
    assert as_json({"Contacted": Wip("Contacted", "stage", 61, 8)}) == {
        "Contacted": {"count": 61, "limit": 8, "over": 53}
    }


def test_anything_that_is_not_a_figure_is_refused():
    with pytest.raises(TypeError, match="not a flow figure"):
        as_json({"when": object()})
