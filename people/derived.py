"""Values stored beside a person's own data so they can be searched without decrypting."""

import datetime

from core.masking import mask_id_number, mask_phone
from people.identity import normalize_phone, parse_id_number
from privacy.crypto import blind_index
from textsearch import pinyin_keys, wylie, wylie_key

ID_PURPOSE = "person.id_number"
PHONE_PURPOSE = "person.phone"


def id_number_values(raw: str, *, today: datetime.date | None = None) -> dict:
    info = parse_id_number(raw, today=today)
    return {
        "id_number": info.number,
        "id_number_index": blind_index(info.number, purpose=ID_PURPOSE),
        "id_number_masked": mask_id_number(info.number),
        "birth_date": info.birth_date,
        "sex": info.sex,
    }


def phone_values(raw: str) -> dict:
    phone = normalize_phone(raw)
    return {
        "phone": phone,
        "phone_index": blind_index(phone, purpose=PHONE_PURPOSE) if phone else "",
        "phone_masked": mask_phone(phone),
    }


def name_values(name_zh: str, name_bo: str) -> dict:
    return {"name_pinyin": pinyin_keys(name_zh or ""), "name_wylie": wylie_key(wylie(name_bo or ""))}


def id_lookup_key(raw: str) -> str:
    return blind_index(raw.strip().upper(), purpose=ID_PURPOSE)


def phone_lookup_key(raw: str) -> str:
    return blind_index(raw.strip(), purpose=PHONE_PURPOSE)
