"""In the app, refusals name the key that fixes them; shell commands are for the shell."""

from tests.tui.conftest import notifications, settled


async def test_a_full_stage_refusal_names_keys_not_a_config_command(demo_app):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("l", "L")  # a Contacted card into Discovery, which is 5/5
        await pilot.pause()
        told = notifications(demo_app)
        assert any(m.startswith("Discovery is full: 5/5") for m in told)
        assert any("w won, x lost" in m and "shift+arrows" in m for m in told)
        assert not any("pkanban" in m or "--wip" in m for m in told)


async def test_pull_refusal_names_the_touch_key(demo_app):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("n")  # pulled: it needs a touch before the next one is earned
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        told = "\n".join(notifications(demo_app))
        assert "Earn the next lead first" in told and "press t to log a touch" in told
        assert "pkanban touch" not in told and "pkanban config" not in told


def test_the_shell_still_gets_the_command(shell):
    assert shell("init").exit_code == 0
    assert shell("config", "stage", "Contacted", "--wip", "1").exit_code == 0
    assert shell("add", "Acme", "--stage", "Contacted").exit_code == 0
    refused = shell("add", "Globex", "--stage", "Contacted")
    assert refused.exit_code == 1
    assert 'pkanban config stage "Contacted" --wip N' in refused.output


async def test_pull_with_no_active_stage_points_to_settings_not_the_shell(app, store, today):
    from pkanban.services import cards, config

    cards.add_card(store, today, cards.NewCard(title="Acme"))
    for stage in ("Contacted", "Discovery", "Proposal", "Negotiation"):
        config.update_stage(store, today, stage, kind="pool")
    async with app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("n")
        await pilot.pause()
        told = "\n".join(notifications(app))
        assert "no active stage to pull into — add one in settings (,)" in told
        assert "pkanban" not in told
