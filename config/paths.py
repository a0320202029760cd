"""Where the project's own reference data lives (copied from the standard's tables)."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DIVISIONS_CSV = DATA_DIR / "lhasa_divisions_2023.csv"
DIVISION_NAMES_CSV = DATA_DIR / "lhasa_divisions_names.csv"
HOLIDAYS_CSV = DATA_DIR / "lhasa_holidays.csv"
OCCUPATIONS_CSV = DATA_DIR / "occupations_2022.csv"
OCCUPATION_NAMES_CSV = DATA_DIR / "occupations_2022_names.csv"
KEY_GROUPS_CSV = DATA_DIR / "key_groups.csv"
INDUSTRIES_CSV = DATA_DIR / "industries_gbt4754_2017.csv"
DISTRICT_SEATS_CSV = DATA_DIR / "district_seats.csv"
