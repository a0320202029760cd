"""Reference lookups for one import batch, loaded once: no query per record."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.scope import unit_in_scope
from employers.validation import parse_credit_code
from industries.models import Industry
from network.models import OrgUnit
from occupations.models import Occupation

UNKNOWN_UNIT = _("There is no unit with the code %(code)s.")
UNIT_OUT_OF_SCOPE = _("The unit %(code)s is outside your own area.")
UNKNOWN_OCCUPATION = _("There is no occupation with the code %(code)s.")
UNKNOWN_OCCUPATIONS = _("Unknown occupation code(s): %(codes)s.")
UNKNOWN_INDUSTRY = _("There is no industry with the code %(code)s.")


class Catalogue:
    def __init__(self, *, acting_user):
        self.acting_user = acting_user
        self.units = {unit.code: unit for unit in OrgUnit.objects.all()}
        # What the vacancy services read of an occupation (its level and names), for every code.
        self.occupations = {
            o.code: o for o in Occupation.objects.only("id", "code", "level", "name_zh", "name_bo", "name_en")
        }
        self.industries = {industry.code: industry for industry in Industry.objects.all()}
        self._in_scope: dict[str, bool] = {}

    def in_scope(self, unit) -> bool:
        if unit.code not in self._in_scope:
            self._in_scope[unit.code] = unit_in_scope(self.acting_user, unit)
        return self._in_scope[unit.code]

    def unit(self, reader, key: str, code, *, scoped: bool = False):
        """The unit named by `code`, or None with an error on `key`."""
        if not isinstance(code, str) or not code:
            return None
        unit = self.units.get(code)
        if unit is None:
            reader.error(key, UNKNOWN_UNIT % {"code": code})
        elif scoped and not self.in_scope(unit):
            reader.error(key, UNIT_OUT_OF_SCOPE % {"code": code})
            return None
        return unit

    def occupation(self, reader, key: str, code) -> Occupation | None:
        if not isinstance(code, str) or not code:
            return None
        occupation = self.occupations.get(code)
        if occupation is None:
            reader.error(key, UNKNOWN_OCCUPATION % {"code": code})
        return occupation

    def occupation_list(self, reader, key: str, codes) -> list[int] | None:
        if not isinstance(codes, list):
            return None
        unknown = [code for code in codes if code not in self.occupations]
        if unknown:
            reader.error(key, UNKNOWN_OCCUPATIONS % {"codes": ", ".join(unknown)})
            return None
        return [self.occupations[code].pk for code in codes]

    def industry(self, reader, key: str, code) -> Industry | None:
        if not isinstance(code, str) or not code:
            return None
        industry = self.industries.get(code)
        if industry is None:
            reader.error(key, UNKNOWN_INDUSTRY % {"code": code})
        return industry

    def credit_code(self, reader, key: str, raw) -> str | None:
        if not isinstance(raw, str) or not raw:
            return None
        try:
            return parse_credit_code(raw)
        except ValidationError as exc:
            for message in exc.messages:
                reader.error(key, message)
            return None
