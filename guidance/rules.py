"""Who may do what in career guidance. Which records (scope) is core/scope.py's concern."""

import rules

from accounts.roles import Role
from accounts.rules import is_service_role, role_in

VIEW = "guidance.view_guidance"
MANAGE = "guidance.manage_guidance"
PRINT_PLAN = "guidance.print_plan"
VIEW_PROGRAMMES = "guidance.view_programme"
MANAGE_PROGRAMMES = "guidance.manage_programme"

is_front_line = role_in({Role.COUNSELLOR, Role.STATION_HEAD})

# Supervisors follow cases, plans and 一人一策 in their area; the front line does the guidance.
rules.add_perm(VIEW, is_service_role)
rules.add_perm(MANAGE, is_front_line)
# The plan carries the person's name and masked ID to be signed; those who agree it print it.
rules.add_perm(PRINT_PLAN, is_front_line)
rules.add_perm(VIEW_PROGRAMMES, is_service_role)
# Group programmes (§7.8) are run by stations and by the district and city bureaus alike;
# they work from masked data.
rules.add_perm(MANAGE_PROGRAMMES, is_service_role)
