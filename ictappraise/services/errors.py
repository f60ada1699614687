"""The errors a user's action can meet, declared once for every screen and command.

Importable without the store's engine or SQLAlchemy: the start-up path and the command line
catch them before anything heavy is loaded. The store's errors are re-exported here so that
the UI and the CLI name them through the services, never the store itself.
"""

from __future__ import annotations

from ictappraise.store.errors import (
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseMissing,
    DatabaseReadOnly,
    DatabaseTooNew,
    DatabaseWriteError,
    NotOurDatabase,
    StoreError,
)

__all__ = [
    "USER_ERRORS",
    "DatabaseCorrupt",
    "DatabaseLocked",
    "DatabaseMissing",
    "DatabaseReadOnly",
    "DatabaseTooNew",
    "DatabaseWriteError",
    "NotOurDatabase",
    "ServiceError",
    "StoreError",
    "VisitLocked",
]


class ServiceError(ValueError):
    """A request the rules refuse; the message is Vietnamese and says why."""


class VisitLocked(ServiceError):
    """The minutes of the agency are signed: its scores, facts and visit are locked."""


#: Everything a user's action may meet that is not a bug, each with a Vietnamese message:
#: a refusal of the rules (ServiceError, ValueError of the domain and the files read), a
#: database that cannot be used or written (StoreError, e.g. one turned read-only), and a file
#: the system refuses (OSError). Every GUI action and every command shows these as a message
#: and changes nothing; anything else is a bug and reaches the error log.
USER_ERRORS: tuple[type[Exception], ...] = (ValueError, StoreError, OSError)
