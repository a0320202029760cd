"""Who may do what with employers. Scope (which employers) is core/scope.py.

Staff read employers in their area and front-line staff keep them and the
key-enterprise directory. An employer's self-service account (role "employer") holds no
staff power: it acts only for the employer its EmployerAccount points at.
"""

import rules

from accounts.roles import Role
from accounts.rules import is_service_role, role_in

is_front_line = role_in({Role.COUNSELLOR, Role.STATION_HEAD})
is_station_head = role_in({Role.STATION_HEAD})
is_employer_user = role_in({Role.EMPLOYER})


@rules.predicate
def acts_for_employer(user, employer) -> bool:
    """The signed-in employer account belongs to this employer."""
    if employer is None or not is_employer_user(user):
        return False
    # A missing reverse one-to-one raises a subclass of AttributeError, which getattr absorbs.
    account = getattr(user, "employer_account", None)
    return bool(account and account.employer_id == getattr(employer, "pk", employer))


rules.add_perm("employers.view_employer", is_service_role)
rules.add_perm("employers.manage_employer", is_front_line)
rules.add_perm("employers.flag_key_enterprise", is_front_line)
rules.add_perm("employers.manage_employer_accounts", is_station_head)
rules.add_perm("employers.act_for_employer", is_employer_user & acts_for_employer)
