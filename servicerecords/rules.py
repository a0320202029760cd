"""Who may do what with service records. Which ones (scope) is core/scope.py's concern."""

import rules

from accounts.roles import Role
from accounts.rules import is_service_role, is_system_admin, role_in

VIEW = "servicerecords.view_servicerecord"
RECORD = "servicerecords.record_service"
VIEW_TYPES = "servicerecords.view_servicetype"
MANAGE_TYPES = "servicerecords.manage_servicetype"

is_front_line = role_in({Role.COUNSELLOR, Role.STATION_HEAD})

# Supervisors read their area's services; the staff who give them record them.
rules.add_perm(VIEW, is_service_role)
rules.add_perm(RECORD, is_front_line)
# The catalogue is configuration, like the key-group catalogue.
rules.add_perm(VIEW_TYPES, is_service_role | is_system_admin)
rules.add_perm(MANAGE_TYPES, is_system_admin)
