import factory

from network.models import OrgUnit, ServicePoint, ServicePointKind


class ServicePointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicePoint

    kind = ServicePointKind.MOBILE_POINT
    name_zh = factory.Sequence(lambda n: f"劳务市场流动服务点{n}")
    name_bo = factory.Sequence(lambda n: f"ལས་ཞུགས་ཚོང་ར། {n}")
    location = "劳务市场"
    schedule = "每周二 10:00–16:00"

    @classmethod
    def in_unit(cls, code: str, **kwargs):
        return cls(unit=OrgUnit.objects.get(code=code), **kwargs)


def valid_id_number(
    area: str = "540102", birth: str = "19900307", sequence: int = 1, male: bool = True
) -> str:
    """A GB 11643 number with the right check digit; the 17th digit sets the sex."""
    from stdnum.cn import ric

    serial = f"{sequence % 100:02d}{(1 if male else 2) + 2 * (sequence // 100 % 4)}"
    body = f"{area}{birth}{serial}"
    return body + ric.calc_check_digit(body + "X")


def person(*, user, unit_code: str = "540102002", id_number: str | None = None, sequence: int = 1, **values):
    """Register a person through the real service, as a counsellor of the unit would."""
    from people.services import person_register

    unit = OrgUnit.objects.get(code=unit_code)
    data = {
        "name_zh": "扎西",
        "name_bo": "བཀྲ་ཤིས།",
        "id_number": id_number or valid_id_number(sequence=sequence),
        "phone": "13812345678",
        "unit": unit,
        "household_unit": unit,
        "residence_unit": unit,
    }
    data.update(values)
    return person_register(acting_user=user, values=data, confirm_similar=True)
