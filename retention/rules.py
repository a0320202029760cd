"""Who may see the retention job's runs and pending notices, and start a dry run."""

import rules

from accounts.roles import Role
from accounts.rules import role_in

# The runs' reports and the pending notices: security admin and city supervisor.
VIEW_RUNS = "retention.view_runs"
# The notices' masked names: the city supervisor only. The security administrator runs the
# job but, as one of the three administrators, handles no personal records (file numbers only).
VIEW_NAMES = "retention.view_notice_names"
# Start a dry run from the page: the security administrator only.
RUN = "retention.run"

rules.add_perm(VIEW_RUNS, role_in({Role.SECURITY_ADMIN, Role.CITY_SUPERVISOR}))
rules.add_perm(RUN, role_in({Role.SECURITY_ADMIN}))
rules.add_perm(VIEW_NAMES, role_in({Role.CITY_SUPERVISOR}))
