"""SQLite: opening a board safely, schema and migrations, transactions, events and every read
query. All SQL lives here.
"""
