"""Typed errors the CLI turns into one line and an exit code (never a traceback).

`InputError` and `ConfigError`: unusable input or arguments, exit 2.
"""


class AgingError(Exception):
    """Base class: the message is the one line the user sees."""

    exit_code = 2


class InputError(AgingError):
    """An input file is missing, unreadable, hostile, or lacks what the run needs."""


class ConfigError(AgingError):
    """The config file or a command-line setting is not valid."""


class OutputError(AgingError):
    """The output folder cannot be written (exists without --force, no permission)."""
