from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNSELLOR = "counsellor", _("Counsellor")
    STATION_HEAD = "station_head", _("Station head")
    DISTRICT_SUPERVISOR = "district_supervisor", _("District supervisor")
    CITY_SUPERVISOR = "city_supervisor", _("City supervisor")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")
    # Self-service account of an employer (employers.EmployerAccount says which one);
    # it holds no staff power and sees no service records.
    EMPLOYER = "employer", _("Employer")


# Roles that deliver or supervise the service and so see service records.
SERVICE_ROLES = frozenset(
    {Role.COUNSELLOR, Role.STATION_HEAD, Role.DISTRICT_SUPERVISOR, Role.CITY_SUPERVISOR}
)
SUPERVISOR_ROLES = frozenset({Role.STATION_HEAD, Role.DISTRICT_SUPERVISOR, Role.CITY_SUPERVISOR})
# 三员: each holds one power and none of the others'.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

# The level of unit each role is expected to sit at; the service checks it.
ROLE_UNIT_LEVELS = {
    Role.COUNSELLOR: {"township", "village"},
    Role.STATION_HEAD: {"township", "village"},
    Role.DISTRICT_SUPERVISOR: {"district"},
    Role.CITY_SUPERVISOR: {"city"},
    Role.SYSTEM_ADMIN: {"city"},
    Role.SECURITY_ADMIN: {"city"},
    Role.AUDIT_ADMIN: {"city"},
    Role.EMPLOYER: {"city", "district", "township", "village"},
}


class QualificationLevel(models.IntegerChoices):
    """职业指导员 national vocational levels; 一级 is the highest."""

    LEVEL_1 = 1, _("Level 1 (senior technician)")
    LEVEL_2 = 2, _("Level 2 (technician)")
    LEVEL_3 = 3, _("Level 3 (senior worker)")
    LEVEL_4 = 4, _("Level 4 (intermediate worker)")
    LEVEL_5 = 5, _("Level 5 (junior worker)")
