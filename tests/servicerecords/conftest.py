import datetime

import pytest
import time_machine
from django.utils import translation

from tests.ratios.conftest import pending_msgids_as_tibetan  # noqa: F401  (a fixture, used by name)

TODAY = datetime.date(2026, 11, 16)


@pytest.fixture(autouse=True)
def frozen():
    with (
        time_machine.travel(datetime.datetime(2026, 11, 16, 10, tzinfo=datetime.UTC), tick=False),
        translation.override("zh-hans"),
    ):
        yield TODAY
