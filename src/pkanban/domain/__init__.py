"""Pure Python: the models and rules of a seller's board, and the view models every shell and
format reads. No SQLite, no Textual, no clock (today is passed in), nothing from the layers
above.
"""
