"""One error tree. Each class carries a message meant for the user; the CLI
prints it on one line and picks the exit code, in one place (cli.main)."""
from __future__ import annotations


class TrackerError(Exception):
    """Base for every error the tracker reports to a user."""

    exit_code = 1


class ConfigError(TrackerError):
    """sources.yaml is unreadable or invalid; names the key and line."""

    exit_code = 2


class DatabaseError(TrackerError):
    """The database file cannot be opened, is not ours, or cannot be written."""

    exit_code = 3


class LockError(TrackerError):
    """Another run holds the lock."""

    exit_code = 75  # EX_TEMPFAIL: cron may try again later


class FetchError(TrackerError):
    """A URL could not be fetched; the message names the URL and the reason."""


class HTTPStatusError(FetchError):
    def __init__(self, message: str, status: int, retry_after: "float | None" = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after  # seconds the server asked us to wait, if it said


class TooLargeError(FetchError):
    pass


class ParseError(TrackerError):
    """A fetched body could not be understood (malformed feed, not JSON...)."""


class DeliveryError(TrackerError):
    """The digest could not be handed to the SMTP server."""

    exit_code = 4
