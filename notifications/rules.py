"""Who may push items to persons and who may read the 1:4 compliance list."""

import rules

from accounts.rules import is_service_role
from people.rules import is_front_line

# Front-line staff push job and training items to the persons of their area.
rules.add_perm("notifications.push_item", is_front_line)
rules.add_perm("notifications.view_push", is_service_role)
# The monthly 1:4 list: supervisors watch it, counsellors work from it (scope decides whose).
rules.add_perm("notifications.view_push_ratio", is_service_role)
