"""Typed errors the CLI turns into one line and an exit code (never a traceback).

`InputError` and `ConfigError`: unusable input or arguments, exit 2. An error is raised with a
catalogue code and its parameters (`InputError("error.file_not_found", file=path)`), so the CLI
says it in the user's language; `str(error)` is the English line (logs, tests). A plain
sentence is still accepted where no code exists yet.
"""

from __future__ import annotations

import re

_CODE = re.compile(r"error\.[a-z_.]+")


class AgingError(Exception):
    """Base class: the message is the one line the user sees."""

    exit_code = 2

    def __init__(self, message: str, **params) -> None:
        self.code = message if _CODE.fullmatch(message) else None
        self.params = params
        super().__init__(message if self.code is None else self.render("en"))

    def render(self, lang: str = "en") -> str:
        """The line in `lang` (English for a plain sentence)."""
        if self.code is None:
            return str(self.args[0])
        from aging import i18n  # the catalogue loads only when an error is shown

        # numbers as written (a row number takes no thousands separator), messages rendered
        shown = {k: v if isinstance(v, i18n.Msg) else str(v) for k, v in self.params.items()}
        return i18n.text(self.code, lang, **shown)


class InputError(AgingError):
    """An input file is missing, unreadable, hostile, or lacks what the run needs."""


class ConfigError(AgingError):
    """The config file or a command-line setting is not valid."""


class OutputError(AgingError):
    """The output folder cannot be written (exists without --force, no permission)."""
