"""The services' errors, apart from the workspace: the start-up path and the command line catch
them without importing the store."""

from __future__ import annotations


class ServiceError(ValueError):
    """A request the rules refuse; the message is Vietnamese and says why."""


class VisitLocked(ServiceError):
    """The minutes of the agency are signed: its scores, facts and visit are locked."""
