"""Error types the project raises on purpose.

Anything derived from :class:`WorkbenchError` is a *user-facing* problem: the CLI prints its message as one
line and exits with code 2, the UI shows it as a short message. Everything else is a bug.
"""


class WorkbenchError(Exception):
    """Base class: a problem the user can act on. The message is one line and says what to do."""


class InputError(WorkbenchError):
    """A file or text the user gave cannot be used (empty, binary, wrong encoding, malformed, too big)."""


class UnknownLanguage(WorkbenchError):
    """A language code the workbench does not support."""


class NotFound(WorkbenchError):
    """A project, document, segment, model or concept that does not exist."""


class VersionConflict(WorkbenchError):
    """Optimistic locking: somebody else saved the same translation since it was loaded."""


class ModelUnavailable(WorkbenchError):
    """No usable MT model (not installed, offline, wrong target token)."""


class Busy(WorkbenchError):
    """Another program or tab held a database past the wait limit; nothing was changed, trying again works."""


class PermissionDenied(WorkbenchError):
    """The logged-in person's role does not allow this (e.g. a translator approving, or editing the glossary)."""
