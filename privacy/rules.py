"""Who may ask for, read and decide bulk-export approvals (GB/T 35273 §7.1).

Asking happens inside an export with full values, so it follows `people.export_full`.
Deciding needs a supervisor whose unit lies above the requester's (services say which);
the three administrators never handle personal data, so none of them may decide (三员).
"""

import rules

from accounts.rules import is_supervisor

VIEW_APPROVALS = "privacy.view_export_approvals"
DECIDE_APPROVAL = "privacy.decide_export_approval"

rules.add_perm(VIEW_APPROVALS, is_supervisor)
rules.add_perm(DECIDE_APPROVAL, is_supervisor)
