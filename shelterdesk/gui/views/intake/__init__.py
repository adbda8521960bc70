"""The admission wizard of the intake desk: ``wizard`` walks the pages and
saves; one module per page (``essentials`` with the ``readmission`` banner,
``children``, ``safety`` with the consents, ``room``, ``review``, and ``done``
for printing), each a ``page.IntakePage`` owning its widgets, draft part,
reading and checks; ``state`` is all they share; ``drafts`` keeps what is
typed in the encrypted database."""
