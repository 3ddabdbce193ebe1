"""Typed errors the CLI turns into one line and an exit code (never a traceback), and the
exit codes themselves (DESIGN "Trustworthy exits"; the README's "Exit status" lists them).

`InputError`, `ConfigError` and `OutputError`: the run cannot go on, exit 2.
"""

EXIT_OK = 0  # outputs written, reconciled, everything delivered
EXIT_UNRECONCILED = 1  # outputs written, but a difference no named class explains
EXIT_UNUSABLE = 2  # unusable input, arguments or output folder; or an unexpected fault
EXIT_UNDELIVERED = 3  # outputs written, but a pack was withheld or an e-mail failed
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)


class AgingError(Exception):
    """Base class: the message is the one line the user sees."""

    exit_code = EXIT_UNUSABLE


class InputError(AgingError):
    """An input file is missing, unreadable, hostile, or lacks what the run needs."""


class ConfigError(AgingError):
    """The config file or a command-line setting is not valid."""


class OutputError(AgingError):
    """The output folder cannot be written (exists without --force, locked by another run,
    no permission, disk full)."""
