"""Click parameter types that read user input with the domain's own parsers."""

from datetime import date

import click

from pkanban.domain.dates import DateError, parse_due, parse_iso_date
from pkanban.domain.errors import InvalidInput, NotFound
from pkanban.domain.limits import parse_optional_int, parse_optional_probability
from pkanban.domain.quickadd import MoneyError, parse_value


class DueDate(click.ParamType):
    """A natural date (`2026-12-01`, `tomorrow`, `next tue`, `+3d`), resolved against --today."""

    name = "DATE"

    def convert(
        self, value: str | date, param: click.Parameter | None, ctx: click.Context | None
    ) -> date:
        if isinstance(value, date):
            return value
        today = ctx.obj.today if ctx and ctx.obj else date.today()
        try:
            return parse_due(value, today)
        except DateError as error:
            self.fail(str(error), param, ctx)


NO_DATE = "none"
"""What `OptionalDueDate` gives for `none`: the command removes the date."""


class OptionalDueDate(click.ParamType):
    """A natural date as `DueDate`, or `none` to remove it (`edit --close-by none`)."""

    name = "DATE|none"

    def convert(
        self, value: str | date, param: click.Parameter | None, ctx: click.Context | None
    ) -> date | str:
        if isinstance(value, str) and value.strip().lower() == NO_DATE:
            return NO_DATE
        return DUE_DATE.convert(value, param, ctx)


class IsoDate(click.ParamType):
    """A strict `YYYY-MM-DD` day: a period is data, not a due date typed in a hurry."""

    name = "YYYY-MM-DD"

    def convert(
        self, value: str | date, param: click.Parameter | None, ctx: click.Context | None
    ) -> date:
        if isinstance(value, date):
            return value
        try:
            return parse_iso_date(value)
        except DateError as error:
            self.fail(str(error), param, ctx)


class Money(click.ParamType):
    """A value like `12000`, `12k`, `$12,000` or `1.5m`."""

    name = "VALUE"

    def convert(
        self, value: str | int, param: click.Parameter | None, ctx: click.Context | None
    ) -> int:
        if isinstance(value, int):
            return value
        try:
            return parse_value(value)
        except MoneyError as error:
            self.fail(str(error), param, ctx)


class OptionalInt(click.ParamType):
    """A whole number, or `none` to remove a limit."""

    name = "N|none"

    def convert(
        self, value: str | int | None, param: click.Parameter | None, ctx: click.Context | None
    ) -> int | None:
        if value is None or isinstance(value, int):
            return value
        try:
            return parse_optional_int(value)
        except InvalidInput as error:
            self.fail(str(error), param, ctx)


class OptionalProbability(click.ParamType):
    """A probability as 0.4 or 40%, or `none`."""

    name = "P|none"

    def convert(
        self, value: str, param: click.Parameter | None, ctx: click.Context | None
    ) -> float | None:
        try:
            return parse_optional_probability(value)
        except InvalidInput as error:
            self.fail(str(error), param, ctx)


DUE_DATE = DueDate()
OPTIONAL_DUE_DATE = OptionalDueDate()
ISO_DATE = IsoDate()
MONEY = Money()
OPTIONAL_INT = OptionalInt()
OPTIONAL_PROBABILITY = OptionalProbability()


MAX_ROW_ID = 2**63 - 1  # SQLite's largest integer


class CardNumber(click.ParamType):
    """A card's number as `pkanban ls` shows it."""

    name = "CARD"

    def convert(
        self, value: str | int, param: click.Parameter | None, ctx: click.Context | None
    ) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().lstrip("#")
        if not text.isascii() or not text.isdigit() or int(text[:20]) < 1:
            self.fail(f'"{value}" is not a card number — `pkanban ls` lists them', param, ctx)
        if len(text) > len(str(MAX_ROW_ID)) or int(text) > MAX_ROW_ID:
            shown = text if len(text) <= 40 else text[:40] + "…"
            raise NotFound(f"No card #{shown}")  # past SQLite's integers: no card can have it
        return int(text)


CARD_NUMBER = CardNumber()
