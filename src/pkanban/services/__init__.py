"""One function per user action, one transaction each; `session.BoardSession` is the door the
shells (cli/, tui/) read and act through.
"""
