"""The industrial classification is reference data every staff member may read."""

import rules

from accounts.rules import is_staff_member

rules.add_perm("industries.view", is_staff_member)
