"""The command line: thin click commands over a board session (`services.session`)."""
