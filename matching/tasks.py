"""django-q2 entry points: the nightly batch and its district partitions."""

import datetime

from matching import services


def nightly_batch() -> int:
    return services.start_nightly_batch().pk


def batch_partition(header_id: int, district_code: str, day: str) -> int:
    today = datetime.date.fromisoformat(day)
    return services.run_batch_partition(header_id=header_id, district_code=district_code, today=today).created
