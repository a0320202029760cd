"""Who may correct the classification's names (OCR slips, Tibetan and English names).
Reading it is people/rules.py's "occupations.view" (every staff member)."""

import rules

from accounts.rules import is_system_admin

MANAGE = "occupations.manage"

# The classification is configuration, like the service-type and key-group catalogues.
rules.add_perm(MANAGE, is_system_admin)
