"""The domain's rules: one home per bound, names that belong to one family, a cache that
cannot change a figure, and profile values that name a family twice."""

from __future__ import annotations

import copy
import json
import os
import pickle
import stat
import sys
import typing
from collections.abc import Callable
from keyword import iskeyword
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smtime import cache, catalogue, domain
from smtime.core import find_family, parse_choice
from smtime.domain import LEVEL, OutOfBounds
from smtime.errors import InvalidFileError, UsageError
from tests.conftest import MINIMAL, Run

Smtime = Callable[..., Run]

SEED = catalogue.load(catalogue.bundled_path())


def test_domain_imports_nothing_of_smtime() -> None:
    """smtime.domain stands alone: no import from the rest of smtime."""
    source = Path(domain.__file__).read_text(encoding="utf-8")
    assert "from smtime" not in source
    assert "import smtime" not in source


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_bound_check_agrees_with_holds(value: float) -> None:
    """A bound accepts exactly the finite values within it, and says what it accepts."""
    if LEVEL.holds(value):
        assert LEVEL.check(value) == value
    else:
        with pytest.raises(OutOfBounds, match=r"from 0 \(low\) to 1 \(high\)"):
            LEVEL.check(value)


def test_common_currencies_are_what_babel_knows() -> None:
    """The codes known without Babel are codes Babel knows (the fast path agrees)."""
    from babel.numbers import is_currency

    for code in domain.COMMON_CURRENCIES:
        assert is_currency(code), code
    assert domain.is_currency("CHF")
    assert domain.is_currency("NZD")  # through Babel
    assert not domain.is_currency("XYZ")
    assert not domain.is_currency("eur")


def test_cache_hit_gives_the_same_domain_values(write_catalogue: Callable[..., Path]) -> None:
    """A catalogue read back from the cache is the same value as a fresh load."""
    path = write_catalogue(MINIMAL)
    fresh = catalogue.load(path)
    assert cache.get("catalogue", path.read_bytes()) is not None
    cached = catalogue.load(path)
    assert cached == fresh
    assert isinstance(cached, domain.Catalogue)
    assert isinstance(cached.families[0], domain.Family)


def _plant(path: Path, change: Callable[[dict[str, Any]], Any]) -> Path:
    """Replace the cache entry of ``path`` with validated data changed by ``change``."""
    folder = cache.folder()
    assert folder is not None
    entry = folder / cache.key("catalogue", path.read_bytes())
    envelope = json.loads(entry.read_text(encoding="utf-8"))
    change(envelope["data"])
    entry.write_text(json.dumps(envelope), encoding="utf-8")
    return entry


@pytest.mark.parametrize(
    "forge",
    [
        lambda data: data["families"][0].update(high=-5),  # negative hours
        lambda data: data["families"][0].update(low=9, high=2),  # low above high
        lambda data: data["families"][0].update(high=2e6),  # beyond the sanity bound
        lambda data: data["families"][0].update(low="1"),  # not a number
        lambda data: data["families"][1].update(id="alpha"),  # a shared id
        lambda data: data.update(families=[]),  # no family
        lambda data: data.pop("source"),  # missing key
    ],
)
def test_forged_cache_entry_cannot_change_a_figure(
    write_catalogue: Callable[..., Path], forge: Callable[[dict[str, Any]], Any]
) -> None:
    """An entry planted in the cache that breaks a rule is ignored: the file is read again."""
    path = write_catalogue(MINIMAL)
    fresh = catalogue.load(path)
    _plant(path, forge)
    assert catalogue.load(path) == fresh


def test_cache_entry_writable_by_others_is_ignored(
    write_catalogue: Callable[..., Path],
) -> None:
    """A cache entry others may write (0666) is not trusted, even when it breaks no rule."""
    path = write_catalogue(MINIMAL)
    fresh = catalogue.load(path)
    entry = _plant(path, lambda data: data["families"][0].update(low=0, high=0.5))
    os.chmod(entry, 0o666)
    assert catalogue.load(path) == fresh
    _plant(path, lambda data: data["families"][0].update(low=0, high=0.5))
    os.chmod(entry, 0o600)
    assert catalogue.load(path).families[0].high == 0.5  # the user's own entry is used


def test_cache_folder_is_private_and_shared_folders_are_not_trusted(
    write_catalogue: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The cache folder is made 0700; a folder others may write is not used at all."""
    private = tmp_path / "private" / "smtime"
    monkeypatch.setenv("SMTIME_CACHE_DIR", str(private))
    path = write_catalogue(MINIMAL)
    catalogue.load(path)
    assert stat.S_IMODE(private.stat().st_mode) == 0o700
    entries = list(private.iterdir())
    assert len(entries) == 1
    assert stat.S_IMODE(entries[0].stat().st_mode) == 0o600
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    monkeypatch.setenv("SMTIME_CACHE_DIR", str(shared))
    catalogue.load(path)
    assert list(shared.iterdir()) == []
    assert cache.get("catalogue", path.read_bytes()) is None


def test_cache_entry_of_another_user_is_ignored(
    write_catalogue: Callable[..., Path],
) -> None:
    """An entry owned by someone else is not trusted (as ssh treats its files)."""
    if os.geteuid() != 0:
        pytest.skip("changing a file's owner needs root")
    path = write_catalogue(MINIMAL)
    fresh = catalogue.load(path)
    entry = _plant(path, lambda data: data["families"][0].update(low=0, high=0.5))
    os.chown(entry, 65534, 65534)
    assert catalogue.load(path) == fresh


def test_forged_estimate_through_the_cli(
    smtime: Smtime, write_catalogue: Callable[..., Path]
) -> None:
    """`estimate -H high` prints the file's figure, whatever entry was planted in the cache."""
    path = write_catalogue(MINIMAL)
    assert (
        smtime("estimate", "-H", "high", "-c", str(path), "-f", "json").json()["total"]["hours"]
        == 5
    )
    _plant(path, lambda data: data["families"][0].update(low=0, high=0))
    os.chmod(cache.folder() / cache.key("catalogue", path.read_bytes()), 0o666)  # type: ignore[operator]
    run = smtime("estimate", "-H", "high", "-c", str(path), "-f", "json")
    assert run.json()["total"]["hours"] == 5


LABEL_TAKES_ID = MINIMAL.replace("label: Alpha", "label: beta")


def test_label_equal_to_another_id_is_refused(write_catalogue: Callable[..., Path]) -> None:
    """A family labelled with another family's id is refused, with both positions."""
    path = write_catalogue(LABEL_TAKES_ID)
    with pytest.raises(InvalidFileError) as caught:
        catalogue.load(path)
    lines = caught.value.lines()
    assert lines[0].endswith(
        ":17:9: families[1].id: id 'beta' is already used by 'beta'"
        " (families[0].label, line 12, column 12)"
    )


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ("    aliases: [Bêta]\n", "(families[0].aliases[0], line 15"),  # = another's label
        ("    aliases: [BETA]\n", "(families[0].aliases[0], line 15"),  # = another's id
    ],
)
def test_alias_equal_to_another_name_is_refused(
    write_catalogue: Callable[..., Path], change: str, where: str
) -> None:
    """An alias equal to another family's id or label (case and accents folded) is refused."""
    text = MINIMAL.replace(
        "    actions:\n      - label: Do alpha", change + "    actions:\n      - label: Do alpha"
    )
    with pytest.raises(InvalidFileError) as caught:
        catalogue.load(write_catalogue(text))
    assert any(where in line for line in caught.value.lines()), caught.value.lines()


def test_ids_win_over_labels_when_looking_up() -> None:
    """A name is looked up among ids first, then aliases, then labels."""
    families = (
        domain.Family("aaa", {"*": "blogging"}, 1, 2),
        domain.Family("blogging", {"*": "Blog"}, 1, 2),
    )
    built = SEED._replace(families=families, drivers={})
    assert find_family(built, "blogging").id == "blogging"
    assert find_family(built, "Blog").id == "blogging"


@pytest.mark.parametrize("value", [None, [], {}, True])
def test_choice_of_nothing_is_a_message(value: object) -> None:
    """A family set to null, a list, a mapping or a boolean is a usage error, not a crash."""
    with pytest.raises(UsageError, match="expected low, mid, high"):
        parse_choice(value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("set: {blogging: null}\n", "p.yaml:1:17: set.blogging: invalid value nothing (null)"),
        ("set: {blogging: [1]}\n", "set.blogging: invalid value [1]"),
        (
            "set: {BLOGGING: high, blogging: low}\n",
            "set: 'BLOGGING' and 'blogging' name the same family: give it once",
        ),
        ("set: {Stratégie: high, strategie: low}\n", "name the same family"),
        ("drivers: {Networks: 2, networks: 3}\n", "name the same driver"),
        (
            "rate: .nan\n",
            "rate: the hourly rate must be a number from 0 to 1,000,000,000,000, not nan",
        ),
        ("level: .nan\n", "level: level must be a number from 0 (low) to 1 (high), not nan"),
        ("rate: no\n", "rate: 'no' is not a number: write a number such as 55.5 or 55,5\n"),
        (
            "rate: 1,234\n",
            "rate: '1,234' is ambiguous: the comma may separate thousands or decimals",
        ),
    ],
)
def test_profile_values_refused_with_a_message(
    smtime: Smtime, tmp_path: Path, text: str, message: str
) -> None:
    """Profile values that cannot be used are reported at their place, never as a crash."""
    profile = tmp_path / "p.yaml"
    profile.write_text(text, encoding="utf-8")
    run = smtime("estimate", "--profile", str(profile))
    assert run.exit_code == 65, run.stderr
    assert message in run.stderr


def test_costs_have_a_currency_only_with_a_rate() -> None:
    """Without a rate there is no cost, so no currency to state (JSON null, an empty CSV cell)."""
    assert domain.Assumptions(currency="JPY").cost_currency is None
    assert domain.Assumptions(rate=55.0, currency="JPY").cost_currency == "JPY"


figures = st.builds(
    domain.Figures,
    st.floats(0, 1e6),
    st.floats(0, 1e6),
    st.one_of(st.none(), st.floats(0, 1e6)),
)


@given(st.lists(figures, max_size=12))
def test_add_up_adds_each_column_and_keeps_chosen_hours_only_when_all_have_them(
    lines: list[domain.Figures],
) -> None:
    """``add_up`` is the exact sum of each column (``math.fsum``); the chosen hours are None
    as soon as one line has none; nothing adds up to zeros."""
    import math

    total = domain.add_up(lines)
    assert total.low == math.fsum(line.low for line in lines)
    assert total.high == math.fsum(line.high for line in lines)
    if any(line.hours is None for line in lines):
        assert total.hours is None
    else:
        assert total.hours == math.fsum(line.hours or 0.0 for line in lines)


@given(st.floats(0, 1e4), st.floats(1, 60), st.one_of(st.none(), st.floats(0, 1e4)))
def test_scaled_hours_is_scaled_figures_for_one_value(
    hours: float, full_time: float, rate: float | None
) -> None:
    """The figures of one value and of a line are the same multiplications."""
    for period in domain.Period:
        assumptions = domain.Assumptions(period, full_time_hours=full_time, rate=rate)
        line = assumptions.figures(domain.Figures(hours, hours, hours))
        one = assumptions.per_week(hours)
        assert one[0] == line[0].hours == line[0].low
        assert one[1] == line[1].hours
        assert one[2] == (None if line[2] is None else line[2].hours)


def test_default_choice_is_shared_and_a_refusal_is_never_remembered() -> None:
    """``options.choose`` gives one choice for a hypothesis named as text or as a value;
    a refused level is refused each time it is asked for."""
    from smtime.options import choose

    assert choose("low", None) is choose(domain.Hypothesis.LOW, None)
    assert choose(None, 0.25) == domain.Choice(level=0.25)
    assert choose(None, None) is None
    for _ in range(2):
        with pytest.raises(UsageError, match="level must be"):
            choose(None, 1.5)
    with pytest.raises(UsageError, match="not both"):
        choose("low", 0.5)


# smtime's NamedTuple is typing.NamedTuple, made faster ------------------------------------------

FIELD_NAMES = st.lists(
    st.sampled_from(["cls", "self", "args", "given"])
    | st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True).filter(lambda n: not iskeyword(n)),
    max_size=6,
    unique=True,
)
"""Field names, among them the names a constructor's own parameters could have."""


def _both(fields: list[str], defaults: int) -> tuple[Any, Any]:
    """The class ``C`` with ``fields`` (the last ``defaults`` of them defaulting to their index)
    made by ``typing.NamedTuple`` and by ``smtime.domain.NamedTuple``."""
    lines = ["class C(NamedTuple):", '    """A value."""']
    first_default = len(fields) - defaults
    for index, field in enumerate(fields):
        lines.append(f"    {field}: int" + (f" = {index}" if index >= first_default else ""))
    lines += ["    def total(self) -> int:", "        return sum(self)"]
    source = "\n".join(lines)
    made = []
    for maker in (typing.NamedTuple, domain.NamedTuple):
        space: dict[str, Any] = {"NamedTuple": maker, "__name__": "tests.made"}
        exec(source, space)
        made.append(space["C"])
    return made[0], made[1]


def _outcome(call: Callable[..., Any], *args: Any, **keywords: Any) -> tuple[str, Any]:
    try:
        value = call(*args, **keywords)
    except (TypeError, ValueError) as exc:
        return type(exc).__name__, str(exc)
    return "value", (tuple(value), repr(value), value._asdict(), value.total())


@given(FIELD_NAMES, st.data())
def test_named_tuple_behaves_as_typings(fields: list[str], data: st.DataObject) -> None:
    """Whatever the fields, defaults and arguments (too few, too many, unknown or repeated
    names), a class made by smtime's NamedTuple gives what typing.NamedTuple's gives: the same
    values, repr, dict, methods and errors, word for word."""
    defaults = data.draw(st.integers(0, len(fields)))
    plain, lean = _both(fields, defaults)
    for attribute in ("_fields", "_field_defaults", "__doc__", "__match_args__", "__module__"):
        assert getattr(lean, attribute) == getattr(plain, attribute)
    assert lean.__mro__[1:] == plain.__mro__[1:] == (tuple, object)
    names = st.sampled_from([*fields, "zz", "_x"]) if fields else st.just("zz")
    for _ in range(5):
        args = data.draw(st.lists(st.integers(), max_size=len(fields) + 2))
        keywords = data.draw(st.dictionaries(names, st.integers(), max_size=3))
        assert _outcome(lean, *args, **keywords) == _outcome(plain, *args, **keywords)
        items = data.draw(st.lists(st.integers(), max_size=len(fields) + 1))
        assert _outcome(lean._make, items) == _outcome(plain._make, items)
        if len(items) == len(fields):
            changes = data.draw(st.dictionaries(names, st.integers(), max_size=2))
            made, typing_made = lean._make(items), plain._make(items)
            assert _outcome(made._replace, **changes) == _outcome(typing_made._replace, **changes)
            assert made == typing_made == tuple(items)
            assert hash(made) == hash(tuple(items))


def test_named_tuple_values_pickle_and_refuse_attributes() -> None:
    """smtime's values go through pickle (the batch's workers) and copy unchanged, have no
    attribute beyond their fields, and a class that redefines what a NamedTuple owns, or
    puts a field without a default after one with it, is refused as typing refuses it."""
    assert pickle.loads(pickle.dumps(LEVEL)) == LEVEL
    assert type(pickle.loads(pickle.dumps(LEVEL))) is domain.Bound
    assert copy.deepcopy(SEED) == SEED
    if sys.version_info >= (3, 13):  # copy.replace, new in 3.13
        assert copy.replace(LEVEL, low=0.5) == LEVEL._replace(low=0.5)  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        LEVEL.other = 1  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        LEVEL.low = 1  # type: ignore[misc]
    for maker in (typing.NamedTuple, domain.NamedTuple):
        with pytest.raises(AttributeError, match="Cannot overwrite NamedTuple attribute _make"):
            exec(
                "class C(NamedTuple):\n    a: int\n    def _make(self): pass", {"NamedTuple": maker}
            )
        with pytest.raises(TypeError, match="Non-default namedtuple field b cannot follow"):
            exec("class C(NamedTuple):\n    a: int = 0\n    b: int", {"NamedTuple": maker})
