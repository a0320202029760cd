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
