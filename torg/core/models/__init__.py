from torg.core.models.audit import AuditEntry, Channel
from torg.core.models.imports import ImportRun
from torg.core.models.organizations import Department, Location, Organization
from torg.core.models.pages import InstallationPage
from torg.core.models.people import Person, Role, RoleGrant
from torg.core.models.teams import Team, TeamMembership
from torg.core.models.tokens import ApiToken

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Channel",
    "Department",
    "ImportRun",
    "InstallationPage",
    "Location",
    "Organization",
    "Person",
    "Role",
    "RoleGrant",
    "Team",
    "TeamMembership",
]
