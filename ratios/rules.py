"""Who may read the 1:5 and 1:4 ratios and the recommendation pipeline.

The same people as the 1:4 list (notifications.view_push_ratio): every service role,
each within their scope (a counsellor or station head their unit, a supervisor their
area). The three administrators hold no service-record power, so they see none of it.
"""

import rules

from accounts.rules import is_service_role

rules.add_perm("ratios.view_ratios", is_service_role)
