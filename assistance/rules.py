"""Who may do what with assistance files (§5.9). Which ones (scope) is core/scope.py's concern."""

import rules

from accounts.roles import Role
from accounts.rules import is_service_role, role_in

VIEW = "assistance.view_file"
MANAGE = "assistance.manage_file"
DECIDE_CLOSURE = "assistance.decide_closure"
VIEW_COVERAGE = "assistance.view_coverage"

is_front_line = role_in({Role.COUNSELLOR, Role.STATION_HEAD})
is_station_head = role_in({Role.STATION_HEAD})

rules.add_perm(VIEW, is_service_role)
# Open a file by hand, record measures, propose a closure: the staff who assist.
rules.add_perm(MANAGE, is_front_line)
# Closing needs the station head's approval (four eyes: never their own proposal).
rules.add_perm(DECIDE_CLOSURE, is_station_head)
rules.add_perm(VIEW_COVERAGE, is_service_role)
