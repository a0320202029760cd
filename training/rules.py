"""Who may do what with training providers and courses (§7.5). Which records: core/scope.py."""

import rules

from accounts.roles import Role
from accounts.rules import is_service_role, role_in

# Registering a provider vouches for its licence: the station head answers for the
# station, the district supervisor for the district. Counsellors arrange courses with
# registered providers; they do not register providers themselves.
may_manage_providers = role_in({Role.STATION_HEAD, Role.DISTRICT_SUPERVISOR})
may_manage_courses = role_in({Role.COUNSELLOR, Role.STATION_HEAD})

rules.add_perm("training.view_provider", is_service_role)
rules.add_perm("training.view_course", is_service_role)
rules.add_perm("training.manage_provider", may_manage_providers)
rules.add_perm("training.manage_course", may_manage_courses)
