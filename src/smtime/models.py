"""Pydantic models of a catalogue: hypotheses, task families and their actions."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from smtime.core import MAX_RATE, MAX_WEEKLY_HOURS, parse_choice
from smtime.errors import UsageError

ANY_LANGUAGE = "*"
"""Key under which a label given as plain text is stored: it serves every language."""


def _text_or_mapping(value: Any) -> Any:
    if isinstance(value, str):
        return {ANY_LANGUAGE: value}
    if isinstance(value, dict):
        return value
    raise PydanticCustomError(
        "localized_text",
        "expected text, or a mapping of language codes to text (fr: …, en: …)",
    )


Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*\z", max_length=64),
]
"""Lower-case ASCII letters and digits, words joined by '-' or '_'."""

LanguageCode = Annotated[str, StringConstraints(pattern=r"^(?:[a-z]{2}|\*)\z")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
LocalizedText = Annotated[
    dict[LanguageCode, Text], BeforeValidator(_text_or_mapping), Field(min_length=1)
]
"""Text in one or more languages; plain text stands for every language."""

Hours = Annotated[float, Field(strict=True, ge=0, le=MAX_WEEKLY_HOURS, allow_inf_nan=False)]
"""Hours per week: a finite number from 0 to 168."""

Quantity = Annotated[float, Field(strict=True, ge=0, le=1_000_000, allow_inf_nan=False)]
"""How many units of a volume driver: a finite number from 0 to 1,000,000."""

Alias = Annotated[str, StringConstraints(min_length=1, max_length=64)]


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Action(_Model):
    """One action of a task family, such as "Brand and keyword monitoring"."""

    label: LocalizedText


class Family(_Model):
    """A task family with its actions and its weekly hours under each hypothesis."""

    id: Slug
    label: LocalizedText
    low: Hours
    high: Hours
    actions: list[Action] = Field(default_factory=list)
    aliases: list[Alias] = Field(default_factory=list)
    per: Annotated[list[Slug], BeforeValidator(_one_or_many)] = Field(default_factory=list)
    """Volume drivers: when given, low and high are hours per unit of each driver, multiplied."""
    rhythm: Literal["daily", "weekly", "sessions"] = "sessions"
    """How ``smtime plan`` cuts the week's time: a little every day, one block, or sessions."""

    @field_validator("high")
    @classmethod
    def _high_not_below_low(cls, high: float, info: ValidationInfo) -> float:
        low = info.data.get("low")
        if low is not None and high < low:
            raise PydanticCustomError(
                "low_above_high",
                "high ({high}) is lower than low ({low}): low must not exceed high",
                {"high": high, "low": low},
            )
        return high


class Hypothesis(_Model):
    """How the catalogue names and describes one hypothesis."""

    label: LocalizedText
    description: LocalizedText


class Hypotheses(_Model):
    """The two hypotheses of the method; ``mid`` lies halfway and needs no entry."""

    low: Hypothesis
    high: Hypothesis


class Driver(_Model):
    """A volume driver such as the number of networks, with its default quantity."""

    label: LocalizedText
    default: Quantity
    description: LocalizedText | None = None


class Source(_Model):
    """Where the figures come from."""

    title: Text
    author: Text | None = None
    url: Text | None = None
    language: LanguageCode | None = None
    description: LocalizedText | None = None


class Catalogue(_Model):
    """A catalogue of task families with weekly hours under a low and a high hypothesis."""

    format: Literal["smtime-catalogue/1"]
    version: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    unit: Literal["hours/week"]
    title: LocalizedText
    source: Source
    hypotheses: Hypotheses
    drivers: dict[Slug, Driver] = Field(default_factory=dict)
    families: list[Family] = Field(min_length=1)


def _valid_choice(value: Any) -> Any:
    try:
        parse_choice(value)
    except UsageError as exc:
        raise PydanticCustomError("choice", "{reason}", {"reason": exc.message}) from None
    return value


Level = Annotated[float, Field(strict=True, ge=0, le=1, allow_inf_nan=False)]
Percent = Annotated[float, Field(strict=True, ge=0, le=1000, allow_inf_nan=False)]
WeeksPerYear = Annotated[float, Field(strict=True, gt=0, le=53, allow_inf_nan=False)]
FullTimeHours = Annotated[float, Field(strict=True, ge=1, le=168, allow_inf_nan=False)]
Rate = Annotated[float, Field(strict=True, ge=0, le=MAX_RATE, allow_inf_nan=False)]


Names = Annotated[list[Alias], BeforeValidator(_one_or_many)]
ChoiceValue = Annotated[Any, AfterValidator(_valid_choice)]
"""low, mid, high, a level from 0 to 1, or hours such as 1.5h."""


class Profile(_Model):
    """A named client scenario: every option of ``estimate`` that a client's budget needs."""

    format: Literal["smtime-profile/1"] = "smtime-profile/1"
    name: Text | None = None
    description: Text | None = None
    catalogue: Text | None = None
    hypothesis: Literal["low", "mid", "high"] | None = None
    level: Level | None = None
    set: dict[Alias, ChoiceValue] = Field(default_factory=dict)
    drivers: dict[Alias, Quantity] = Field(default_factory=dict)
    only: Names | None = None
    exclude: Names = Field(default_factory=list)
    contingency: Percent | None = None
    period: Literal["week", "month", "year"] | None = None
    weeks_per_year: WeeksPerYear | None = None
    full_time_hours: FullTimeHours | None = None
    rate: Rate | None = None
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}\z")] | None = None
    lang: Literal["fr", "en", "es"] | None = None

    @field_validator("level")
    @classmethod
    def _not_both(cls, level: float | None, info: ValidationInfo) -> float | None:
        if level is not None and info.data.get("hypothesis") is not None:
            raise PydanticCustomError("both", "give either hypothesis or level, not both")
        return level
