"""Who may do what with work items. Which items (scope) is core/scope.py's concern."""

import rules

from accounts.roles import Role
from accounts.rules import is_service_role, is_supervisor, role_in

# Read items at all (the API, the person file's panel): every service role, in its own area.
VIEW = "worklist.view_items"
# "My work today" and taking an unassigned item: the staff who do the work.
OWN = "worklist.view_own"
TAKE = "worklist.take_item"
# The unit's whole list: station heads, and supervisors read-only for their area.
VIEW_UNIT = "worklist.view_unit"
REASSIGN = "worklist.reassign"
EXPORT = "worklist.export"

is_front_line = role_in({Role.COUNSELLOR, Role.STATION_HEAD})
is_station_head = role_in({Role.STATION_HEAD})

rules.add_perm(VIEW, is_service_role)
rules.add_perm(OWN, is_front_line)
rules.add_perm(TAKE, is_front_line)
rules.add_perm(VIEW_UNIT, is_supervisor)
rules.add_perm(REASSIGN, is_station_head)
rules.add_perm(EXPORT, is_supervisor)
