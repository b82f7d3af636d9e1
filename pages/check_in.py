"""Home visits: people checked out of the team server to this laptop before a visit, and back in after it."""

from __future__ import annotations

from ui.check_in import check_in_page
from ui.common import page_setup

t = page_setup()
check_in_page(t)
