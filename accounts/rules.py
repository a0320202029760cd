"""Who may do what. Where a record lives is scope.py's concern, not this file's."""

import rules

from accounts.roles import ADMIN_ROLES, SERVICE_ROLES, SUPERVISOR_ROLES, Role


def role_in(roles):
    @rules.predicate
    def check(user):
        return bool(user and user.is_authenticated and user.is_active and user.role in roles)

    return check


is_staff_member = role_in(SERVICE_ROLES | ADMIN_ROLES)
is_service_role = role_in(SERVICE_ROLES)
is_supervisor = role_in(SUPERVISOR_ROLES)
is_system_admin = role_in({Role.SYSTEM_ADMIN})
is_security_admin = role_in({Role.SECURITY_ADMIN})
is_audit_admin = role_in({Role.AUDIT_ADMIN})

rules.add_perm("dashboard.view", is_staff_member)
rules.add_perm("network.view_orgunit", is_staff_member)
rules.add_perm("network.manage_orgunit", is_system_admin)
rules.add_perm("network.view_servicepoint", is_service_role)
rules.add_perm("network.manage_servicepoint", is_supervisor)
rules.add_perm("accounts.view_staff", is_supervisor | is_system_admin | is_security_admin)
rules.add_perm("accounts.manage_staff", is_system_admin)
rules.add_perm("accounts.assign_role", is_security_admin)
rules.add_perm("accounts.unlock_login", is_security_admin)
rules.add_perm("accounts.reset_second_factor", is_security_admin)
rules.add_perm("audit.view_log", is_audit_admin)
rules.add_perm("workcalendar.view_days", is_staff_member)
rules.add_perm("workcalendar.manage_days", is_system_admin)
