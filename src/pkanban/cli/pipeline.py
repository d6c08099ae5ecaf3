"""Pipeline commands: pull the next best lead and print the morning triage queue."""

PIPELINE_COMMANDS: tuple = ()
