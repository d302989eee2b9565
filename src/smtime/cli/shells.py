"""The zsh and fish formats of completion candidates, with their help texts taken literally
and kept on one line.

Typer renders the help of a candidate as rich markup, which drops every ``[default: …]``, and
wraps it at the terminal's width, which fish reads as more candidates. ``register`` puts these
classes in place of Typer's; ``main()`` calls it when the shell asks for completion.
"""

from typer._click.shell_completion import CompletionItem, add_completion_class
from typer._completion_classes import FishComplete, ZshComplete


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _zsh_quoted(text: str) -> str:
    """Text inside the double quotes of zsh's ``_arguments`` specs (as Typer quotes it)."""
    for old, new in (('"', '""'), ("'", "''"), ("$", "\\$"), ("`", "\\`"), (":", r"\\:")):
        text = text.replace(old, new)
    return text


class PlainZsh(ZshComplete):
    """Typer's zsh completion, with help texts read literally, on one line."""

    def format_completion(self, item: CompletionItem) -> str:
        value = _zsh_quoted(item.value)
        if not item.help:
            return f'"{value}"'
        return f'"{value}":"{_zsh_quoted(_one_line(item.help))}"'


class PlainFish(FishComplete):
    """Typer's fish completion, with help texts read literally, on one line."""

    def format_completion(self, item: CompletionItem) -> str:
        return f"{item.value}\t{_one_line(item.help)}" if item.help else item.value


def register() -> None:
    """Use ``PlainZsh`` and ``PlainFish``: after Typer's own classes are registered, which
    building the app with its completion options does."""
    add_completion_class(PlainZsh, PlainZsh.name)
    add_completion_class(PlainFish, PlainFish.name)
