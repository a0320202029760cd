"""Where tests write their screenshots and sample prints.

`make screenshots` (UPDATE_SCREENSHOTS=1) writes them into docs/screenshots for the README;
any other run writes them to a scratch folder, so running the suite leaves the checkout clean.
"""

import os
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def screenshot_dir() -> Path:
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        return DOCS
    return Path(tempfile.gettempdir()) / "lhasa-screenshots"
