"""Plain sentences, in the reader's language, for a result's factors and a seeker's shortfall.

Recommendations store the engine's raw facts (numbers), not text: the sentences are
made when shown, so a Tibetan reader and a Chinese reader each see their own.
"""

import math

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matching.engine.types import CONSTRAINTS, FACTORS, Facts


def facts_at(facts: Facts, index: int) -> dict:
    """One pair's facts as JSON-ready numbers (NaN becomes None)."""
    row = {}
    for name in Facts.__dataclass_fields__:
        value = getattr(facts, name)[index]
        if isinstance(value, np.bool_ | bool):
            row[name] = bool(value)
        elif isinstance(value, np.integer):
            row[name] = int(value)
        else:
            number = float(value)
            row[name] = None if math.isnan(number) else round(number, 2)
    return row


def factors_at(factors: np.ndarray, index: int) -> dict[str, float]:
    return {name: round(float(factors[index, j]), 4) for j, name in enumerate(FACTORS)}


def _occupation(f: dict) -> str:
    levels = f["occupation_levels"]
    if levels >= 4:
        return _("Same occupation")
    if levels == 3:
        return _("Same occupation small group")
    if levels == 2:
        return _("Same occupation medium group")
    if levels == 1:
        return _("Same occupation major group")
    return _("No occupation wish recorded")


def _skills(f: dict) -> str:
    required, held = f["skills_required"], f["skills_held"]
    if not required:
        return _("No skills or certificates required")
    return ngettext(
        "Has %(held)d of the %(required)d required skill or certificate",
        "Has %(held)d of the %(required)d required skills and certificates",
        required,
    ) % {"held": held, "required": required}


def _salary(f: dict) -> str:
    if not f["salary_min"]:
        return _("Pays up to %(max)d yuan a month; no pay expectation recorded") % {"max": f["salary_max"]}
    return _("Pays up to %(max)d yuan a month; expects %(min)d") % {
        "max": f["salary_max"],
        "min": f["salary_min"],
    }


def _distance(f: dict) -> str:
    km = f["distance_km"]
    if km is not None:
        if km < 1:
            return _("Less than 1 km from home")
        return _("About %(km)d km from home") % {"km": round(km)}
    if f["same_district"]:
        return _("In the home district or county")
    return _("In another district or county")


def _language(f: dict) -> str:
    if f["tibetan_margin"] >= 1 and f["chinese_margin"] >= 1:
        return _("Speaks Tibetan and Chinese better than the job needs")
    return _("Meets the language requirements")


def _experience(f: dict) -> str:
    years, wanted = round(f["experience"]), round(f["experience_min"])
    if wanted:
        return ngettext(
            "%(years)d year of experience; %(wanted)d wanted",
            "%(years)d years of experience; %(wanted)d wanted",
            years,
        ) % {"years": years, "wanted": wanted}
    return ngettext(
        "%(years)d year of experience; none required",
        "%(years)d years of experience; none required",
        years,
    ) % {"years": years}


def _freshness(f: dict) -> str:
    days = int(f["age_days"])
    if days < 1:
        return _("Published or reconfirmed today")
    return ngettext(
        "Published or reconfirmed %(days)d day ago",
        "Published or reconfirmed %(days)d days ago",
        days,
    ) % {"days": days}


def _responsiveness(f: dict) -> str:
    return _("The employer answers about %(share)d%% of referrals") % {
        "share": round(100 * f["responsiveness"])
    }


SENTENCES = {
    "occupation": _occupation,
    "skills": _skills,
    "salary": _salary,
    "distance": _distance,
    "language": _language,
    "experience": _experience,
    "freshness": _freshness,
    "responsiveness": _responsiveness,
}


def explanation(facts: dict, factors: dict) -> list[dict]:
    """[{factor, contribution, text}], largest contribution first."""
    rows = [
        {"factor": name, "contribution": factors.get(name, 0.0), "text": SENTENCES[name](facts)}
        for name in FACTORS
        if name in SENTENCES and facts
    ]
    return sorted(rows, key=lambda r: -r["contribution"])


def explanation_text(facts: dict, factors: dict) -> str:
    return _("; ").join(row["text"] for row in explanation(facts, factors))


def shortfall(binding: int, *, occupations: str, salary: int | None, found: int) -> str:
    """Why a seeker has fewer feasible vacancies than the target, naming the constraint."""
    name = CONSTRAINTS[binding] if 0 <= binding < len(CONSTRAINTS) else ""
    values = {"occupations": occupations or _("any occupation"), "found": found, "salary": salary or 0}
    texts = {
        "occupation": _("Only %(found)d open vacancies in the desired occupations %(occupations)s"),
        "location": _("No more vacancies in the desired districts for %(occupations)s (found %(found)d)"),
        "age": _("Vacancies for %(occupations)s have age limits that exclude this person (found %(found)d)"),
        "education": _("Vacancies for %(occupations)s require more schooling (found %(found)d)"),
        "language": _(
            "Vacancies for %(occupations)s need a Tibetan or Chinese level this person does not have "
            "(found %(found)d)"
        ),
        "work_type": _("Few vacancies for %(occupations)s offer the kind of work wanted (found %(found)d)"),
        "salary": _(
            "Few vacancies for %(occupations)s pay the expected %(salary)d yuan a month (found %(found)d)"
        ),
        "open": _("Only %(found)d open vacancies fit"),
    }
    return texts.get(name, _("Only %(found)d open vacancies fit")) % values
