"""Errors the store raises for a person to read. Messages never carry personal
data: they name files, accounts and fields, not residents."""

from __future__ import annotations


class StoreError(Exception):
    """Base class; ``str()`` is a sentence for the user in their language."""


class WrongPassword(StoreError):
    pass


class SlotFileDamaged(StoreError):
    pass


class DatabaseDamaged(StoreError):
    pass


class NotShelterDesk(StoreError):
    pass


class DatabaseExists(StoreError):
    pass


class NotFound(StoreError):
    pass


class Forbidden(StoreError):
    pass


class Conflict(StoreError):
    pass


class OutputRefused(StoreError):
    """A path chosen for output that the program will not write."""


class ProtectedPath(OutputRefused):
    """A database, key file, backup or lockout file: never overwritten."""


class OutputExists(OutputRefused):
    """An existing file, replaced only when the person said so (``--force``)."""


class DiskFull(StoreError):
    """No space left (ENOSPC, EDQUOT, SQLITE_FULL): free space, nothing is damaged."""


class ReadOnlyLocation(StoreError):
    """The folder cannot be written (EROFS, EACCES/EPERM on write): another folder."""
