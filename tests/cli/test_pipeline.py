"""The pipeline commands as a seller types them: pull, triage, why, check, ls --sort rank."""

import json
from datetime import timedelta

import pytest

from pkanban.domain.text import cell_width

DAY = timedelta(days=1)


def add(shell, *args) -> str:
    result = shell("add", *args)
    assert result.exit_code == 0, result.stderr
    return result.output.strip()


def listed(shell, *args):
    return {c["id"]: c for c in json.loads(shell("ls", "--json", *args).output)}


def test_help_lists_the_pipeline_commands(shell):
    output = shell("--help").output
    for command in ("pull", "triage", "why", "check"):
        assert f"  {command} " in output


def test_pull_moves_the_best_lead_and_says_where(board_shell):
    add(board_shell, "Small", "--value", "2k")
    big = add(board_shell, "Acme Corp", "--value", "90k")
    result = board_shell("pull")
    assert result.exit_code == 0, result.stderr
    assert result.output.startswith(f"Pulled #{big} Acme Corp into Contacted · New business")
    assert f"pkanban why {big}" in result.output
    assert listed(board_shell)[int(big)]["stage"] == "Contacted"


def test_pull_is_refused_until_the_listed_leads_are_touched(board_shell):
    for title in ("Acme Corp", "Globex", "Initech"):
        add(board_shell, title, "--value", "5k")
    first = board_shell("pull").output.split()[1]
    board_shell("config", "set", "earn_next_lead", "off")
    second = board_shell("pull").output.split()[1]
    board_shell("config", "set", "earn_next_lead", "on")
    refused = board_shell("pull")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("pkanban: Earn the next lead first — 2 pulled leads")
    assert f"{first} Acme Corp — no touch yet" in refused.stderr
    assert f"{second} Globex — no touch yet" in refused.stderr
    assert "Traceback" not in refused.stderr
    for card in (first, second):
        touched = board_shell("touch", card[1:], "--kind", "call", "--next", "Demo", "--due", "fri")
        assert touched.exit_code == 0
    assert board_shell("pull").output.startswith("Pulled #3 Initech")


def test_an_overdue_step_is_named_in_the_refusal(board_shell, today):
    for title in ("Acme Corp", "Globex"):
        add(board_shell, title)
    earlier = today - 9 * DAY
    board_shell("pull", today=earlier)
    board_shell("touch", "1", "--next", "Call", "--due", "2026-11-20", today=earlier)
    refused = board_shell("pull")
    assert refused.exit_code == 1
    assert "#1 Acme Corp — next step overdue since 2026-11-20" in refused.stderr


def test_pull_is_refused_when_the_first_stage_is_over_and_names_the_way_out(board_shell):
    board_shell("config", "set", "earn_next_lead", "off")
    for name in ("Acme", "Globex"):
        board_shell("add", name, "--stage", "Contacted")
    board_shell("config", "stage", "Contacted", "--wip", "1")
    add(board_shell, "Fresh lead")
    before = board_shell("ls", "--json").output

    refused = board_shell("pull")

    assert refused.exit_code == 1
    assert refused.stderr.startswith(
        "pkanban: No room to pull a lead (a lead enters the first active stage only):"
        " Contacted is full: 2/1, over by 1"
    )
    assert "clearance wizard" in refused.stderr
    assert board_shell("ls", "--json").output == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("pull",), "The pool is empty"),
        (("pull", "--lane", "Nowhere"), 'No lane "Nowhere"'),
        (("why", "99"), "No card #99"),
        (("check", "1", "Champion", "yes"), '"Champion" is not on the checklist'),
    ],
)
def test_pipeline_refusals_are_one_clear_line_with_exit_1(board_shell, args, message):
    if args[0] == "check":
        add(board_shell, "Acme")
    result = board_shell(*args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_check_answers_the_checklist_and_why_shows_every_component(board_shell):
    card = add(board_shell, "Acme Corp", "--value", "12k", "--stage", "Discovery")
    assert board_shell("check", card, "maybe", "perhaps").exit_code == 1
    result = board_shell("check", card, "budget", "YES")
    assert result.exit_code == 0, result.stderr
    assert result.output.startswith(f"#{card} fit 1/3 criteria met — rank ")
    why = board_shell("why", card).output.splitlines()
    assert why[0].startswith(f"#{card} Acme Corp — rank ")
    parts = [line for line in why[1:6] if not line.startswith(" " * 22)]
    assert [line.split()[0] for line in parts] == ["value", "probability", "fit", "staleness"]
    assert why[2].strip() == "(median of 1 open card (no wins yet))"
    assert "+10.0  1/3 criteria met" in parts[2]
    assert "25% in Discovery" in parts[1]
    assert "yes  Budget confirmed" in "\n".join(why)
    assert all(cell_width(line) <= 80 for line in why)
    assert "rank" in board_shell("show", card).output


def test_why_refuses_a_closed_card(board_shell):
    card = add(board_shell, "Acme")
    board_shell("won", card)
    result = board_shell("why", card)
    assert result.exit_code == 1 and "only open cards are ranked" in result.stderr


def test_ls_sort_rank_lists_best_money_first_with_the_score(board_shell):
    add(board_shell, "Small", "--value", "1k", "--stage", "Negotiation")
    add(board_shell, "Huge", "--value", "900k")
    add(board_shell, "Mid", "--value", "20k", "--stage", "Discovery")
    rows = json.loads(board_shell("ls", "--sort", "rank", "--json").output)
    assert [row["title"] for row in rows] == ["Huge", "Mid", "Small"]
    assert rows[0]["rank"] >= rows[1]["rank"] >= rows[2]["rank"]
    assert "probability" in rows[1]["rank_why"]
    table = board_shell("ls", "--sort", "rank").output.splitlines()
    assert table[0].split()[:3] == ["rank", "id", "title"]
    assert [line.split()[2] for line in table[1:]] == ["Huge", "Mid", "Small"]
    assert all(cell_width(line) <= 80 for line in table)
    assert "rank" not in json.loads(board_shell("ls", "--json").output)[0]


def test_a_blocked_deal_carries_the_same_mark_in_every_listing(board_shell):
    blocked = add(board_shell, "Waiting on legal", "--value", "5k", "--stage", "Discovery")
    add(board_shell, "Moving along", "--value", "4k", "--stage", "Discovery")
    assert board_shell("block", blocked, "Legal review").exit_code == 0
    for args in (("ls",), ("ls", "--sort", "rank")):
        lines = board_shell(*args).output.splitlines()
        [waiting] = [line for line in lines if "Waiting on legal" in line]
        [moving] = [line for line in lines if "Moving along" in line]
        assert "⊘" in waiting and "⊘" not in moving, args
        assert "⛔" not in waiting, args


def test_triage_prints_the_queue_with_reasons_aligned_in_80_columns(board_shell, today):
    add(
        board_shell, "Overdue deal", "--stage", "Discovery", "--due", "2026-11-20", "--next", "Call"
    )
    add(board_shell, "Dead \x1b[31mqueue\x1b[0m [bold]x[/]" + "y" * 80, "--stage", "Proposal")
    snoozed = add(
        board_shell, "Snoozed", "--stage", "Discovery", "--next", "Call", "--due", "2026-11-20"
    )
    board_shell("snooze", snoozed, "next mon", "--reason", "holiday")
    add(board_shell, "Quiet lead")
    result = board_shell("triage")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == ("Triage for Wed 2026-11-25: 2 cards need you (1 overdue, 1 not contacted)")
    assert "Snoozed" not in result.output and "Quiet lead" not in result.output
    assert "\x1b" not in result.output
    assert "Dead queue [bold]x[/]" in result.output
    rows = [line for line in lines if line[:4].strip().endswith(".")]
    assert [row.split()[0] for row in rows] == ["1.", "2."]
    assert "next step overdue since 2026-11-20: Call" in result.output
    assert "no next step" in result.output
    assert all(cell_width(line) <= 80 for line in lines)
    reason_lines = [line for line in lines if line.startswith(" " * 13) and line.strip()]
    assert len(reason_lines) == 4  # overdue + never contacted; never contacted + no next step


def test_triage_json_has_the_reasons_and_an_empty_day_says_so(board_shell):
    assert "nothing needs you today" in board_shell("triage").output
    card = add(board_shell, "Acme", "--stage", "Contacted", "--due", "today", "--next", "Call")
    [entry] = json.loads(board_shell("triage", "--json").output)
    assert entry["id"] == int(card) and entry["position"] == 1
    assert [r["kind"] for r in entry["reasons"]] == ["due_today", "not_contacted"]
    assert isinstance(entry["rank"], float) and entry["no_next_step"] is False
