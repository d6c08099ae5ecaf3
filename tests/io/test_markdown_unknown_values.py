"""The markdown report never counts a missing value as $0 (issue 16: unknown is not zero)."""


def test_the_report_sums_known_values_and_says_how_many_have_none(shell):
    shell("init")
    shell("add", "Acme", "--value", "12k", "--stage", "contacted")
    shell("add", "Globex", "--stage", "contacted")
    shell("add", "Initech")

    report = shell("export", "--format", "md").output

    open_row = next(line for line in report.splitlines() if line.startswith("| Open |"))
    assert open_row == "| Open | 3 | $12,000 · 2 without a value |"
