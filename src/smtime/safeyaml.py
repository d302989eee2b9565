"""Reading untrusted YAML into plain data, with the position of every node kept for errors.

libyaml (or PyYAML's pure-Python parser when libyaml is missing) builds the node graph; the
values are then built here rather than by PyYAML's constructors, so that:

- only plain data comes out: any tag other than YAML's standard str/int/float/bool/null/seq/map
  is rejected, ``!!python/...`` included;
- plain scalars follow YAML 1.2's core schema, not YAML 1.1: ``no``/``yes``/``on``/``off`` stay
  text, ``2024-01-01`` stays text, ``1:30`` stays text (a number field then says how to write it),
  and an integer with a leading zero (``010``) is refused rather than read as octal;
- duplicate keys are errors that name both lines;
- aliases are followed with a budget, so a "billion laughs" document fails fast, and a
  self-referencing alias is an error instead of a recursion;
- nesting deeper than ``MAX_DEPTH`` is refused, and so is an integer of more than
  ``MAX_INT_DIGITS`` digits ("number too large", with its line and column).

Files are read by ``smtime.files`` (size limit, binary data, encodings).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from smtime.errors import InvalidFileError, Problem
from smtime.files import MAX_INT_DIGITS, decode, integer_too_long, read_bytes

MAX_DEPTH = 64
"""Deepest nesting of mappings and sequences accepted."""
_STD = "tag:yaml.org,2002:"
_PLAIN = "smtime:plain"  # an untagged plain scalar, resolved by this module's core schema
_STR, _INT, _FLOAT, _BOOL, _NULL = (f"{_STD}{t}" for t in ("str", "int", "float", "bool", "null"))
_SEQ, _MAP = f"{_STD}seq", f"{_STD}map"
_SCALAR_TAGS = {_PLAIN, _STR, _INT, _FLOAT, _BOOL, _NULL}

_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT_RE = re.compile(r"[-+]?[0-9]+\Z")
_OCT_RE = re.compile(r"0o[0-7]+\Z")
_HEX_RE = re.compile(r"0x[0-9a-fA-F]+\Z")
_ANY_INT_RE = re.compile(r"[-+]?[0-9]+\Z|0o[0-7]+\Z|0x[0-9a-fA-F]+\Z")
_FLOAT_RE = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INF_RE = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN_RE = re.compile(r"\.(nan|NaN|NAN)\Z")

_Parser: Any
try:
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]
except ImportError:  # PyYAML built without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _PureParser(Reader, Scanner, Parser, Composer):
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)

    _Parser = _PureParser


class _Loader(_Parser, BaseResolver):  # type: ignore[misc]
    """Composes nodes only; untagged scalars are marked plain or quoted, never guessed."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        BaseResolver.__init__(self)

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            return _PLAIN if implicit[0] else _STR
        return _SEQ if kind is SequenceNode else _MAP


class _Fatal(Exception):
    def __init__(self, node: Node | None, message: str) -> None:
        super().__init__(message)
        self.node = node
        self.message = message


@dataclass(frozen=True, slots=True)
class Document:
    """The data of one YAML document and its node graph, to find where a value came from."""

    name: str
    data: Any
    root: Node

    def locate(self, path: Sequence[str | int], *, key: bool = False) -> tuple[int, int]:
        """1-based line and column of the node at ``path`` (of its key with ``key=True``).

        Stops at the deepest node that exists, so a missing key points at its mapping.
        """
        node = self.root
        for depth, step in enumerate(path):
            last = depth == len(path) - 1
            if isinstance(node, MappingNode):
                for knode, vnode in node.value:
                    if isinstance(knode, ScalarNode) and knode.value == str(step):
                        node = knode if (last and key) else vnode
                        break
                else:
                    break
            elif isinstance(node, SequenceNode) and isinstance(step, int):
                if not 0 <= step < len(node.value):
                    break
                node = node.value[step]
            else:
                break
        return node.start_mark.line + 1, node.start_mark.column + 1

    def problem(
        self, path: Sequence[str | int], message: str, *, key: bool = False, label: str = ""
    ) -> Problem:
        """A problem located at ``path``."""
        line, column = self.locate(path, key=key)
        return Problem(self.name, message, label or format_path(path), line, column)


def format_path(path: Iterable[str | int]) -> str:
    """``('families', 2, 'low')`` → ``families[2].low``."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def load_file(path: Path, *, what: str = "document") -> Document:
    """Read, decode and parse one YAML file into a ``Document``."""
    data = read_bytes(path)
    return parse(decode(data, str(path)), str(path), what=what)


def parse(text: str, name: str, *, what: str = "document") -> Document:
    """Parse one YAML document of plain data; raise ``InvalidFileError`` with every problem."""
    roots = _compose(text, name, single=True)
    if not roots:
        raise InvalidFileError(name, [Problem(name, f"empty file: expected a {what}", "", 1, 1)])
    return _build(roots, text, name)[0]


def parse_stream(text: str, name: str) -> list[Document]:
    """Every document of a YAML stream (documents separated by ``---``), each read as ``parse``."""
    return _build(_compose(text, name, single=False), text, name)


def _compose(text: str, name: str, *, single: bool) -> list[Node]:
    """The node graph of each document; libyaml's errors become problems with positions."""
    try:
        loader = _Loader(text)
        try:
            if single:
                root = loader.get_single_node()
                return [] if root is None else [root]
            roots = []
            while loader.check_node():
                roots.append(loader.get_node())
            return roots
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = _syntax_message(exc)
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise InvalidFileError(name, [Problem(name, message, "", line, column)]) from None
    except yaml.reader.ReaderError as exc:
        line, column = _char_position(text, exc.position)
        message = f"YAML error: character {exc.character!r} is not allowed in YAML text"
        raise InvalidFileError(name, [Problem(name, message, "", line, column)]) from None
    except yaml.YAMLError as exc:
        raise InvalidFileError(name, [Problem(name, f"YAML error: {exc}")]) from None
    except RecursionError:
        raise InvalidFileError(name, [_too_deep(text, name)]) from None


def _build(roots: list[Node], text: str, name: str) -> list[Document]:
    """Plain data from each root; the alias budget is shared by all documents of the stream."""
    documents = []
    problems: list[Problem] = []
    budget = 2 * len(text) + 10_000
    for root in roots:
        builder = _Builder(name, budget=budget)
        try:
            data = builder.build(root, 0)
        except _Fatal as exc:
            builder.problems.append(_at(name, exc.node, exc.message))
        budget -= builder.count
        problems += builder.problems
        if not builder.problems:
            documents.append(Document(name, data, root))
    if problems:
        raise InvalidFileError(name, problems)
    return documents


def _too_deep(text: str, name: str) -> Problem:
    """Where nesting first goes past ``MAX_DEPTH``, found by walking the events (no recursion)."""
    message = f"YAML error: nesting deeper than {MAX_DEPTH} levels (refused)"
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                mark = event.start_mark
                if depth > MAX_DEPTH and mark is not None:
                    return Problem(name, message, "", mark.line + 1, mark.column + 1)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass
    return Problem(name, message)


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    parts = [p for p in (exc.context, exc.problem) if p]
    text = " ".join(str(p).strip() for p in parts) or "invalid YAML"
    if "nesting" in text or "flow level" in text:
        text += f" (smtime accepts at most {MAX_DEPTH} levels)"
    return f"YAML syntax error: {text}"


def _char_position(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _at(name: str, node: Node | None, message: str) -> Problem:
    if node is None:
        return Problem(name, message)
    return Problem(name, message, "", node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    """Turns a node graph into dicts, lists and scalars, collecting the problems it meets."""

    def __init__(self, name: str, *, budget: int) -> None:
        self.name = name
        self.budget = budget
        self.count = 0
        self.active: set[int] = set()
        self.problems: list[Problem] = []

    def build(self, node: Node, depth: int) -> Any:
        self.count += 1
        if self.count > self.budget:
            raise _Fatal(
                node, "YAML error: aliases expand to far more data than the file holds (refused)"
            )
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if depth >= MAX_DEPTH:
            raise _Fatal(node, f"YAML error: nesting deeper than {MAX_DEPTH} levels (refused)")
        key = id(node)
        if key in self.active:
            raise _Fatal(node, "YAML error: an alias refers to itself (recursive data refused)")
        self.active.add(key)
        try:
            if isinstance(node, SequenceNode):
                self.check_tag(node, _SEQ)
                return [self.build(item, depth + 1) for item in node.value]
            assert isinstance(node, MappingNode)
            self.check_tag(node, _MAP)
            return self.mapping(node, depth)
        finally:
            self.active.discard(key)

    def mapping(self, node: MappingNode, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        seen: dict[str, Node] = {}
        for knode, vnode in node.value:
            if not isinstance(knode, ScalarNode):
                self.problems.append(_at(self.name, knode, "a mapping key must be plain text"))
                continue
            self.check_tag(knode, _STR)
            key = knode.value
            if key in seen:
                first = seen[key].start_mark.line + 1
                self.problems.append(
                    _at(self.name, knode, f"duplicate key {key!r} (first given on line {first})")
                )
                continue
            seen[key] = knode
            out[key] = self.build(vnode, depth + 1)
        return out

    def check_tag(self, node: Node, expected: str) -> None:
        tag = node.tag
        if tag == expected or (expected == _STR and tag in _SCALAR_TAGS):
            return
        shown = "!!" + tag[len(_STD) :] if tag.startswith(_STD) else tag
        self.problems.append(
            _at(
                self.name,
                node,
                f"unsupported YAML tag {shown}: smtime reads plain data only "
                "(text, numbers, true/false, null, lists and mappings)",
            )
        )

    def scalar(self, node: ScalarNode) -> Any:
        tag, text = node.tag, node.value
        if tag == _STR:
            return text
        if tag == _PLAIN:
            return self.plain(node, text)
        if tag not in _SCALAR_TAGS:
            self.check_tag(node, _STR)
            return None
        known = len(self.problems)
        value = self.plain(node, text)
        if len(self.problems) > known:  # already reported (a number too large)
            return None
        expected = {_INT: int, _FLOAT: float, _BOOL: bool, _NULL: type(None)}[tag]
        if expected is float and type(value) is int:
            return float(value)
        if type(value) is not expected:
            self.problems.append(
                _at(self.name, node, f"{text!r} is not a valid {tag[len(_STD) :]}")
            )
        return value

    def plain(self, node: ScalarNode, text: str) -> Any:
        if text in _NULLS:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        if len(text) > MAX_INT_DIGITS and _ANY_INT_RE.match(text):
            self.problems.append(
                _at(
                    self.name,
                    node,
                    integer_too_long(text),
                )
            )
            return None
        if _INT_RE.match(text):
            digits = text.lstrip("+-")
            if len(digits) > 1 and digits.startswith("0"):
                self.problems.append(
                    _at(
                        self.name,
                        node,
                        f"{text!r} has a leading zero, which YAML 1.1 reads as an octal number; "
                        f"write {int(text)} (or quote it to mean text)",
                    )
                )
                return None
            return int(text)
        if _OCT_RE.match(text):
            return int(text[2:], 8)
        if _HEX_RE.match(text):
            return int(text[2:], 16)
        if _FLOAT_RE.match(text):
            return float(text)
        if _INF_RE.match(text):
            return -math.inf if text.startswith("-") else math.inf
        if _NAN_RE.match(text):
            return math.nan
        return text
