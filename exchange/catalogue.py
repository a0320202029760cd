"""Reference lookups for one import batch, loaded once: no query per record."""

from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc

from core.scope import unit_in_scope
from industries.models import Industry
from network.models import OrgUnit
from occupations.models import Occupation

UNKNOWN_UNIT = _("There is no unit with the code %(code)s.")
UNIT_OUT_OF_SCOPE = _("The unit %(code)s is outside your own area.")
UNKNOWN_OCCUPATION = _("There is no occupation with the code %(code)s.")
UNKNOWN_OCCUPATIONS = _("Unknown occupation code(s): %(codes)s.")
UNKNOWN_INDUSTRY = _("There is no industry with the code %(code)s.")
CREDIT_CODE_INVALID = _("This is not a valid unified social credit code (GB 32100): check it for a typo.")


def parse_credit_code(raw: str) -> str | None:
    """The code in canonical form, or None. GB 32100: 18 characters with a check character."""
    try:
        return uscc.validate(raw)
    except stdnum_errors.ValidationError:
        return None


class Catalogue:
    def __init__(self, *, acting_user):
        self.acting_user = acting_user
        self.units = {unit.code: unit for unit in OrgUnit.objects.all()}
        self.occupations = dict(Occupation.objects.values_list("code", "id"))
        self.industries = dict(Industry.objects.values_list("code", "id"))
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

    def occupation(self, reader, key: str, code) -> int | None:
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
        return [self.occupations[code] for code in codes]

    def industry(self, reader, key: str, code) -> int | None:
        if not isinstance(code, str) or not code:
            return None
        industry = self.industries.get(code)
        if industry is None:
            reader.error(key, UNKNOWN_INDUSTRY % {"code": code})
        return industry

    def credit_code(self, reader, key: str, raw) -> str | None:
        if not isinstance(raw, str) or not raw:
            return None
        code = parse_credit_code(raw.upper().replace(" ", ""))
        if code is None:
            reader.error(key, CREDIT_CODE_INVALID)
        return code
