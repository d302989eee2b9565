"""The file formats, as pydantic schemas: a catalogue and a profile.

Each schema validates a parsed file at the edge; ``CatalogueSchema.to_domain`` turns a valid
catalogue into ``smtime.domain`` values. Bounds and patterns come from ``smtime.domain``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from smtime import domain
from smtime.core import parse_capacity, parse_choice
from smtime.domain import ANY_LANGUAGE, Bound, OutOfBounds
from smtime.errors import UsageError


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
    StringConstraints(pattern=rf"^{domain.SLUG}\z", max_length=domain.SLUG_LENGTH),
]
"""Lower-case ASCII letters and digits, words joined by '-' or '_'."""

LanguageCode = Annotated[str, StringConstraints(pattern=r"^(?:[a-z]{2}|\*)\z")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=domain.TEXT_LENGTH)]
LocalizedText = Annotated[
    dict[LanguageCode, Text], BeforeValidator(_text_or_mapping), Field(min_length=1)
]
"""Text in one or more languages; plain text stands for every language."""


def _refused(exc: Exception) -> PydanticCustomError:
    """A refusal with smtime's own message (no pydantic wording around it)."""
    return PydanticCustomError("refused", "{reason}", {"reason": str(exc)})


def _within(bound: Bound) -> Any:
    """The check of a number within ``bound`` (``smtime.domain``), with the bound's message."""

    def within(value: float) -> float:
        try:
            return bound.check(value)
        except OutOfBounds as exc:
            raise _refused(exc) from None

    return AfterValidator(within)


def _typed(bound: Bound) -> Any:
    """The reading of a number within ``bound`` as people type it (``domain.Bound.read``): a
    number, or text such as ``55,5`` or, for a percentage, ``10 %``."""

    def read(value: Any) -> float:
        try:
            return bound.read(value)
        except OutOfBounds as exc:
            raise _refused(exc) from None

    return BeforeValidator(read)


# A catalogue's numbers are YAML numbers, never text.
Hours = Annotated[float, Field(strict=True), _within(domain.BUDGET_HOURS)]
"""An organisation's hours per week: a finite number from 0 to 1,000,000."""

Quantity = Annotated[float, Field(strict=True), _within(domain.QUANTITY)]
"""How many units of a volume driver: a finite number from 0 to 1,000,000."""

Alias = Annotated[str, StringConstraints(min_length=1, max_length=64)]


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class ActionSchema(_Model):
    """One action of a task family, such as "Brand and keyword monitoring"."""

    label: LocalizedText


class FamilySchema(_Model):
    """A task family with its actions and its weekly hours under each hypothesis."""

    id: Slug
    label: LocalizedText
    low: Hours
    high: Hours
    actions: list[ActionSchema] = Field(default_factory=list)
    aliases: list[Alias] = Field(default_factory=list)
    per: Annotated[list[Slug], BeforeValidator(_one_or_many)] = Field(default_factory=list)
    """Volume drivers: when given, low and high are hours per unit of each driver, multiplied."""
    rhythm: Literal["daily", "weekly", "sessions"] = "sessions"
    """How ``smtime plan`` cuts the week's time: a little every day, one block, or sessions."""
    priority: Annotated[int, Field(strict=True, ge=1, le=1000)] | None = None
    """Where the family comes when a capacity cannot cover every family (1 first)."""

    @field_validator("high")
    @classmethod
    def _high_not_below_low(cls, high: float, info: ValidationInfo) -> float:
        low = info.data.get("low")
        problem = None if low is None else domain.range_problem(low, high)
        if problem is not None:
            raise PydanticCustomError("low_above_high", problem)
        return high


class HypothesisSchema(_Model):
    """How the catalogue names and describes one hypothesis."""

    label: LocalizedText
    description: LocalizedText


class HypothesesSchema(_Model):
    """The two hypotheses of the method; ``mid`` lies halfway and needs no entry."""

    low: HypothesisSchema
    high: HypothesisSchema


class DriverSchema(_Model):
    """A volume driver such as the number of networks, with its default quantity."""

    label: LocalizedText
    default: Quantity
    description: LocalizedText | None = None


class SourceSchema(_Model):
    """Where the figures come from."""

    title: Text
    author: Text | None = None
    url: Text | None = None
    language: LanguageCode | None = None
    description: LocalizedText | None = None


IsoWeek = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-W(?:0[1-9]|[1-4][0-9]|5[0-3])\z")]
"""An ISO week, such as 2026-W49."""
Percentile = Annotated[int, Field(strict=True, ge=domain.PERCENTILE.low, le=domain.PERCENTILE.high)]


class CalibrationSchema(_Model):
    """Where a calibrated catalogue's ranges come from (written by ``smtime calibrate``)."""

    source: Text
    """The time-tracker export, by the name it was given."""
    tracker: Slug
    first_week: IsoWeek
    last_week: IsoWeek
    """The first and last complete weeks the ranges were learnt from."""
    weeks: Annotated[int, Field(strict=True, ge=1)]
    partial_weeks: list[IsoWeek] = Field(default_factory=list)
    quantiles: Annotated[list[Percentile], Field(min_length=2, max_length=2)]
    step: Hours
    smtime: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    """The version of smtime that wrote it."""
    unmapped_hours: Hours
    """Hours of the complete weeks that mapped to no family."""
    not_calibrated: list[Slug] = Field(default_factory=list)
    """Families without tracked time, whose ranges are the base catalogue's."""


class CatalogueSchema(_Model):
    """A catalogue file: task families with weekly hours under a low and a high hypothesis."""

    format: Literal["smtime-catalogue/1"]
    version: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    unit: Literal["hours/week"]
    title: LocalizedText
    source: SourceSchema
    hypotheses: HypothesesSchema
    drivers: dict[Slug, DriverSchema] = Field(default_factory=dict)
    families: list[FamilySchema] = Field(min_length=1)
    calibration: CalibrationSchema | None = None
    """Present in a catalogue learnt from tracked time: where its ranges come from."""


def _valid_choice(value: Any) -> Any:
    try:
        parse_choice(value)
    except UsageError as exc:
        raise PydanticCustomError("choice", "{reason}", {"reason": exc.message}) from None
    return value


def _known_currency(code: str) -> str:
    try:
        return domain.check_currency(code)
    except OutOfBounds:
        message = f"{code!r} is not an ISO 4217 currency code (such as EUR, USD)"
        raise PydanticCustomError("currency", message) from None


# A profile's numbers, typed by people: 55.5 or 55,5; 10 or 10 % for the contingency.
Level = Annotated[float, _typed(domain.LEVEL)]
Percent = Annotated[float, _typed(domain.CONTINGENCY)]
WeeksPerYear = Annotated[float, _typed(domain.WEEKS_PER_YEAR)]
FullTimeHours = Annotated[float, _typed(domain.FULL_TIME_HOURS)]
Rate = Annotated[float, _typed(domain.RATE)]
TypedQuantity = Annotated[float, _typed(domain.QUANTITY)]
Currency = Annotated[
    str, StringConstraints(pattern=rf"^{domain.CURRENCY}\z"), AfterValidator(_known_currency)
]


def _valid_capacity(value: Any) -> Any:
    try:
        parse_capacity(value)
    except UsageError as exc:
        raise PydanticCustomError("capacity", "{reason}", {"reason": exc.message}) from None
    return value


CapacityValue = Annotated[float | str, AfterValidator(_valid_capacity)]
"""Weekly hours available, or people × hours each (``2x15h``)."""
Names = Annotated[list[Alias], BeforeValidator(_one_or_many)]
ChoiceValue = Annotated[Any, AfterValidator(_valid_choice)]
"""low, mid, high, a level from 0 to 1, or hours such as 1.5h."""


class ProfileSchema(_Model):
    """A named client scenario: every option of ``estimate`` that a client's budget needs."""

    format: Literal["smtime-profile/1"] = "smtime-profile/1"
    name: Text | None = None
    description: Text | None = None
    catalogue: Text | None = None
    hypothesis: Literal["low", "mid", "high"] | None = None
    level: Level | None = None
    set: dict[Alias, ChoiceValue] = Field(default_factory=dict)
    drivers: dict[Alias, TypedQuantity] = Field(default_factory=dict)
    only: Names | None = None
    exclude: Names = Field(default_factory=list)
    contingency: Percent | None = None
    period: Literal["week", "month", "year"] | None = None
    weeks_per_year: WeeksPerYear | None = None
    full_time_hours: FullTimeHours | None = None
    rate: Rate | None = None
    currency: Currency | None = None
    lang: Literal["fr", "en", "es"] | None = None
    capacity: CapacityValue | None = None
    priority: Names = Field(default_factory=list)

    @field_validator("set", "drivers")
    @classmethod
    def _named_once(cls, given: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        first: dict[str, str] = {}
        what = "family" if info.field_name == "set" else "driver"
        for name in given:
            other = first.setdefault(domain.fold(name), name)
            if other != name:
                raise PydanticCustomError(
                    "named_twice",
                    "{other} and {name} name the same {what}: give it once",
                    {"name": repr(name), "other": repr(other), "what": what},
                )
        return given

    @field_validator("level")
    @classmethod
    def _not_both(cls, level: float | None, info: ValidationInfo) -> float | None:
        if level is not None and info.data.get("hypothesis") is not None:
            raise PydanticCustomError("both", "give either hypothesis or level, not both")
        return level


class PersonSchema(_Model):
    """One person of a team file: when they work on social media, and what they take."""

    name: Text
    email: Text | None = None
    days: Text | None = None
    """Working days such as ``mon-fri`` or ``mon,wed,fri`` (default: the command's)."""
    start: Text | None = None
    end: Text | None = None
    takes: Names = Field(default_factory=list)
    """Families this person takes (ids, aliases or labels); empty: any."""
    avoids: Names = Field(default_factory=list)
    """Families this person may not take."""


class TeamSchema(_Model):
    """A team file: the people who share the work."""

    format: Literal["smtime-team/1"] = "smtime-team/1"
    people: list[PersonSchema] = Field(min_length=1, max_length=1000)

    @field_validator("people")
    @classmethod
    def _named_once(cls, people: list[PersonSchema]) -> list[PersonSchema]:
        seen: set[str] = set()
        for index, person in enumerate(people):
            key = domain.fold(person.name)
            if key in seen:  # at the second one's name (a ValidationError keeps its place)
                problem = PydanticCustomError(
                    "named_twice",
                    "{name} is named twice: give each person once",
                    {"name": repr(person.name)},
                )
                detail = InitErrorDetails(type=problem, loc=(index, "name"), input=person.name)
                raise ValidationError.from_exception_data("people", [detail])
            seen.add(key)
        return people
