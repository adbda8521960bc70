"""Her record: a page with her header and actions, and one tab per module.

The tabs are listed once, in :mod:`.tabs` (``TABS``): a new tab is a new
module here plus one line there. Each tab owns its widgets, fills itself from
the loaded :class:`~.state.RecordState` and saves through
``gui.operations.run_action``; the page reloads itself when the change hub
says something of hers changed.
"""

from shelterdesk.gui.views.record.view import RecordView

__all__ = ["RecordView"]
