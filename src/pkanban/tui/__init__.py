"""The Textual board: screens and widgets over a board session (`services.session`); they never
touch the store or SQLite.
"""
