"""The transfer layer's one error: a sentence for a person, never a name."""

from __future__ import annotations

from shelterdesk.store.errors import StoreError


class TransferError(StoreError):
    """A file that cannot be written, read, decrypted or trusted; ``str()`` is
    one sentence for the user. Nothing was written when it is raised."""


class NothingToExport(TransferError):
    """Nobody has a valid consent for that partner: no file is made."""
