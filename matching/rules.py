"""Who may run matching and see its results. Which persons (scope) is core/scope.py's concern."""

import rules

from accounts.roles import Role
from accounts.rules import is_service_role, role_in

is_front_line = role_in({Role.COUNSELLOR, Role.STATION_HEAD})

# See a person's suggested vacancies or a vacancy's candidates (supervisors included).
rules.add_perm("matching.view_matches", is_service_role)
# Store recommendations: an on-demand run, or a candidate chosen for a vacancy.
rules.add_perm("matching.run_matching", is_front_line)
