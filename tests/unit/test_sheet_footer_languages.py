"""The footer naming whose sheet it is (every page of the consent sheet) is in
the sheet's language: a Vietnamese sheet printed "Resident no. 1 / Stay no. 1"
in English."""

import pytest

from shelterdesk.i18n import DOCUMENT_LANGUAGES
from shelterdesk.reports.common import gettext_for
from shelterdesk.reports.consent_sheet import WHOSE


@pytest.mark.parametrize("lang", [lang for lang in DOCUMENT_LANGUAGES if lang != "en"])
def test_whose_sheet_footer_is_translated(lang):
    text = gettext_for(lang)(WHOSE)
    assert text != WHOSE
    assert text.format(rid=1, sid=2).count("1") == 1 and "2" in text.format(rid=1, sid=2)
