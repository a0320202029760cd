"""Records in the exchange format, as the regional platform sends them."""

from stdnum.cn import uscc

from tests.factories import valid_id_number


def credit_code(sequence: int = 1) -> str:
    """A GB 32100 code of an enterprise registered in Lhasa, with the right check character."""
    body = f"91540100MA6T{sequence:04d}"[:17]
    body = body.ljust(17, "0")
    return body + uscc.calc_check_digit(body)


def vacancy_json(external_id: str = "XZ-V-0001", *, code: str | None = None, **changes) -> dict:
    record = {
        "external_id": external_id,
        "title_zh": "中餐厨师",
        "title_bo": "རྒྱ་ཟས་མ་བྱེད་པ།",
        "occupation": "4-03-02-01",
        "employer": {
            "credit_code": code or credit_code(1),
            "name_zh": "拉萨雪域餐饮有限公司",
            "name_bo": "ལྷ་ས་གངས་ལྗོངས་ཟ་ཁང་།",
            "industry": "62",
            "unit": "540102002",
        },
        "unit": "540102002",
        "work_unit": "540102002",
        "salary_min": 4000,
        "salary_max": 6000,
        "pay_period": "month",
        "headcount": 2,
        "work_type": "full_time",
        "education_min": "junior",
        "meals": True,
        "status": "published",
    }
    record.update(changes)
    return record


def job_seeker_json(external_id: str = "XZ-P-0001", *, sequence: int = 31, **changes) -> dict:
    record = {
        "external_id": external_id,
        "name_zh": "次仁",
        "name_bo": "ཚེ་རིང་།",
        "id_number": valid_id_number(sequence=sequence),
        "phone": "13912345678",
        "unit": "540102002",
        "education": "senior",
        "employment_status": "unemployed",
        "desired_occupations": ["4-03-02-01"],
    }
    record.update(changes)
    return record
