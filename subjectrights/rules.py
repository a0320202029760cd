"""Who may do what with data-subject requests. Which ones (scope) is core/scope.py's concern."""

import rules

from accounts.roles import Role
from accounts.rules import is_service_role, role_in

VIEW = "subjectrights.view_request"
RECORD = "subjectrights.record_request"
COMPLETE_IRREVERSIBLE = "subjectrights.complete_deletion"

is_station_head_or_above = role_in({Role.STATION_HEAD, Role.DISTRICT_SUPERVISOR, Role.CITY_SUPERVISOR})

# The requests name persons, so only the service roles see them (the city supervisor
# city-wide); the three administrators handle no personal records (三员分立).
rules.add_perm(VIEW, is_service_role)
# Receive, verify, answer, refuse, record a withdrawal, hand over the copy.
rules.add_perm(RECORD, is_service_role)
# Deletion and account cancellation anonymise the person for good.
rules.add_perm(COMPLETE_IRREVERSIBLE, is_station_head_or_above)
