"""Who may do what with recommendations. Which ones (scope) is core/scope.py's concern."""

import rules

from accounts.roles import Role
from accounts.rules import is_service_role, role_in

VIEW = "recommendations.view_recommendation"
ACT = "recommendations.act_on_recommendation"
PRINT_LETTER = "recommendations.print_letter"

is_front_line = role_in({Role.COUNSELLOR, Role.STATION_HEAD})

# Follow the chain: supervisors included, each in their own area.
rules.add_perm(VIEW, is_service_role)
# Record a step (shown, referred, the employer's answer, a hire, a withdrawal).
rules.add_perm(ACT, is_front_line)
# The referral letter carries the seeker's name and masked ID to an employer; the
# staff who refer print it.
rules.add_perm(PRINT_LETTER, is_front_line)
