"""Who may do what with the workers' register. Scope (which records) is core/scope.py."""

import rules

from accounts.roles import Role
from accounts.rules import is_audit_admin, is_service_role, is_staff_member, is_system_admin, role_in

is_front_line = role_in({Role.COUNSELLOR, Role.STATION_HEAD})
is_station_head = role_in({Role.STATION_HEAD})

rules.add_perm("people.view_person", is_service_role)
rules.add_perm("people.manage_person", is_front_line)
rules.add_perm("people.import_persons", is_front_line)
# Full ID and phone: front-line staff who call and visit people, one record at a
# time with a reason. Supervisors above the station work from masked data.
rules.add_perm("people.reveal_identifiers", is_front_line)
rules.add_perm("people.export_full", is_station_head)
rules.add_perm("registrations.decide_closure", is_station_head)
rules.add_perm("keygroups.manage_categories", is_system_admin)
rules.add_perm("keygroups.view_categories", is_service_role | is_system_admin)
rules.add_perm("occupations.view", is_staff_member)
rules.add_perm("privacy.view_access_log", is_audit_admin)
