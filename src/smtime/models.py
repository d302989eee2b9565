"""Pydantic models of a catalogue: hypotheses, task families and their actions."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

MAX_WEEKLY_HOURS = 168.0
"""Hours in a week: no family, and no total, may exceed it."""

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
    families: list[Family] = Field(min_length=1)
