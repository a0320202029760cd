"""Benchmark: import 100,000 persons from one Excel file (SPEC §6: ≤ 2 minutes on 2 cores).

Run with `make bench` (or `pytest bench/bench_import.py --benchmark-only -s` to see the
printed figures). BENCH_IMPORT_ROWS=10000 gives a quick run while developing. Time is
printed and recorded by pytest-benchmark, never asserted.
"""

import datetime as dt
import gc
import io
import os
import random
import resource
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook
from stdnum.cn import ric

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
TODAY = dt.date(2026, 3, 2)
AREAS = ("540102", "540103", "540104", "540121", "540122", "540123", "540124", "540126", "540127")
FIRST_BIRTH = dt.date(1966, 1, 1)
BIRTH_DAYS = 14_000  # up to 2004: everyone is over 16
# Names repeat in real registers (扎西次仁, 次仁卓玛 …): 20 × 20 two-part names.
NAMES = [
    ("扎西", "བཀྲ་ཤིས"), ("次仁", "ཚེ་རིང"), ("卓玛", "སྒྲོལ་མ"), ("央金", "དབྱངས་ཅན"),
    ("格桑", "སྐལ་བཟང"), ("平措", "ཕུན་ཚོགས"), ("达瓦", "ཟླ་བ"), ("尼玛", "ཉི་མ"),
    ("拉巴", "ལྷག་པ"), ("普布", "ཕུར་བུ"), ("边巴", "སྤེན་པ"), ("索朗", "བསོད་ནམས"),
    ("德吉", "བདེ་སྐྱིད"), ("白玛", "པདྨ"), ("旦增", "བསྟན་འཛིན"), ("多吉", "རྡོ་རྗེ"),
    ("益西", "ཡེ་ཤེས"), ("曲珍", "ཆོས་སྒྲོན"), ("拉姆", "ལྷ་མོ"), ("琼达", "ཆུང་གྲགས"),
]  # fmt: skip
EDUCATION = ["none", "primary", "junior", "senior", "senior", "vocational", "college", "bachelor"]
STATUS = ["unemployed"] * 6 + ["employed", "flexible", "self_employed", "student"]
LEVELS = ["none", "basic", "good", "fluent"]
OCCUPATIONS = ["4-03-02-01", "4-07-03-02", "6-18-01-01", "4-01-02-01", "4-03-01-01"]


def id_number(index: int) -> str:
    birth = FIRST_BIRTH + dt.timedelta(days=index % BIRTH_DAYS)
    serial = index // BIRTH_DAYS  # (birth, serial) is unique for every index
    body = f"{AREAS[index % len(AREAS)]}{birth:%Y%m%d}{serial:02d}{index % 10}"
    return body + ric.calc_check_digit(body + "X")


def workbook_bytes(rows: int, units: list[str]) -> bytes:
    from people.imports import COLUMNS

    rng = random.Random(2026)  # fixed, so runs are comparable
    keys = [c.key for c in COLUMNS]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("persons")
    sheet.append([c.zh for c in COLUMNS])
    sheet.append([c.bo for c in COLUMNS])
    for index in range(rows):
        first, second = rng.choice(NAMES), rng.choice(NAMES)
        education = rng.choice(EDUCATION)
        values = {
            "name_zh": first[0] + second[0],
            "name_bo": f"{first[1]}་{second[1]}།",
            "id_number": id_number(index),
            "phone": f"13{rng.randint(0, 999_999_999):09d}",
            "unit": "540102002",
            "household_unit": rng.choice(units),
            "residence_unit": rng.choice(units),
            "address": f"北京中路{rng.randint(1, 300)}号",
            "education": education,
            "major": "旅游管理" if education in ("college", "bachelor") else "",
            "graduation_date": dt.date(rng.randint(2015, 2025), 7, 1) if education == "bachelor" else None,
            "employment_status": rng.choice(STATUS),
            "disability": rng.choice(["none"] * 19 + ["2"]),
            "skills": rng.choice(["驾驶", "厨师", "唐卡绘画", "", ""]),
            "salary_expectation": rng.choice([3000, 4000, 5000, 6000, None]),
            "desired_occupations": ";".join(rng.sample(OCCUPATIONS, rng.randint(0, 2))),
            "tibetan_level": rng.choice(LEVELS),
            "chinese_level": rng.choice(LEVELS),
            "willing_outside_county": rng.choice(["是", "否"]),
        }
        sheet.append([values[key] for key in keys])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def import_setup(db: Any) -> dict:
    from accounts.models import User
    from accounts.roles import Role
    from network.models import OrgUnit

    if not OrgUnit.objects.exists():  # the same reference data the test suite loads
        call_command("load_reference", verbosity=0)
    user = User.objects.create(
        username="bench_counsellor",
        role=Role.COUNSELLOR,
        unit=OrgUnit.objects.get(code="540102002"),
        name_zh="测试",
        qualification_level=3,
    )
    units = list(OrgUnit.objects.filter(code__startswith="540102").values_list("code", flat=True))
    started = time.perf_counter()
    content = workbook_bytes(ROWS, units)
    print(f"\n[bench_import] workbook: {ROWS:,} rows, {len(content) / 1e6:.1f} MB, "
          f"built in {time.perf_counter() - started:.1f} s")  # fmt: skip
    gc.collect()
    return {"user": user, "content": content}


def test_bench_import_persons(benchmark: Any, import_setup: dict) -> None:
    from people.imports import persons_import
    from people.models import Person

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    timings: list[float] = []

    def run():
        file = SimpleUploadedFile("bench.xlsx", import_setup["content"])
        started, cpu = time.perf_counter(), time.process_time()
        report = persons_import(acting_user=import_setup["user"], file=file, today=TODAY)
        timings.extend([time.perf_counter() - started, time.process_time() - cpu])
        return report

    report = benchmark.pedantic(run, rounds=1, iterations=1)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"[bench_import] {ROWS:,} rows imported in {timings[0]:.1f} s wall, {timings[1]:.1f} s CPU "
        f"({ROWS / timings[0]:,.0f} rows/s); peak RSS {peak:,.0f} MB (before: {rss_before:,.0f} MB)"
    )
    assert report.errors == [] and report.committed
    assert report.imported == ROWS
    assert Person.objects.count() == ROWS
