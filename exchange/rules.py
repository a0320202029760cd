"""Who may exchange data with the regional platform (§4.4.1) and read the collection log (§5.3.1).

Exports go to station heads and the supervisors above them; imports write vacancies and
files for a whole station, so only a station head runs them. Scope (which records) is
core/scope.py's concern, as everywhere.
"""

import rules

from accounts.roles import Role
from accounts.rules import is_supervisor, role_in

is_station_head = role_in({Role.STATION_HEAD})

rules.add_perm("exchange.export_data", is_supervisor)
rules.add_perm("exchange.import_data", is_station_head)
rules.add_perm("exchange.view_intake", is_supervisor)
