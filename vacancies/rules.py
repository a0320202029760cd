"""Who may do what with vacancies. Which ones (scope) is core/scope.py's concern."""

import rules

from accounts.roles import Role
from accounts.rules import is_service_role, role_in

is_front_line = role_in({Role.COUNSELLOR, Role.STATION_HEAD})
is_station_head = role_in({Role.STATION_HEAD})

rules.add_perm("vacancies.view_vacancy", is_service_role)
# Enter, edit, submit, reconfirm, suspend, fill and close.
rules.add_perm("vacancies.manage_vacancy", is_front_line)
# Approve (publish) or send back; never one's own (vacancies.services).
rules.add_perm("vacancies.review_vacancy", is_station_head)
