"""The clearance command: list and apply the inventory purge."""

CLEARANCE_COMMANDS: tuple = ()
