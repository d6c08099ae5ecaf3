"""Import and export commands."""

TRANSFER_COMMANDS: tuple = ()
