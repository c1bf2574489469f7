"""Role codes and what each may do. One table, read by every policy.

Duties are separate (GB/T 22239-2019 level 3): administrators manage accounts, operators do the
work, auditors read everything including the audit log and write nothing. A user's grants all
belong to one duty.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

# Core and divisions name their own capabilities (they sit below access); the table grants them here.
from shuanglian.core.capabilities import CONFIGURE_CALENDAR, VIEW_AUDIT
from shuanglian.divisions.capabilities import RESTRUCTURE, VIEW_DIVISIONS


class Role(models.TextChoices):
    GRID_PROMOTER = "grid_promoter", _("grid promoter")
    GRID_VOLUNTEER = "grid_volunteer", _("grid volunteer")
    VILLAGE_CADRE = "village_cadre", _("village cadre")
    ARCHIVE_KEEPER = "archive_keeper", _("archive keeper")
    TOWNSHIP_CADRE = "township_cadre", _("township cadre")
    SERVICE_STAFF = "service_staff", _("service staff")
    COUNTY_OFFICE = "county_office", _("county office")
    DEPARTMENT_MEMBER = "department_member", _("department member")
    AUDITOR = "auditor", _("auditor")
    ADMIN = "admin", _("administrator")
    PETITION_OFFICER = "petition_officer", _("petition officer")


class Duty(models.TextChoices):
    OPERATOR = "operator", _("operator")
    ADMIN = "admin", _("administrator")
    AUDITOR = "auditor", _("auditor")


# Capabilities. Policies ask "may this user do CAP at this division?"
VIEW_ORGANIZATIONS = "organizations.view"
MANAGE_ORGANIZATIONS = "organizations.manage"
VIEW_USERS = "accounts.view_users"
MANAGE_USERS = "accounts.manage_users"
# Archives: VIEW shows names and addresses; VIEW_PII adds ID numbers, phones (masked), income and
# sensitive tags; REVEAL shows a full value for a stated, audited reason.
VIEW_ARCHIVES = "archives.view"
VIEW_ARCHIVES_PII = "archives.view_pii"
REVEAL_PII = "archives.reveal"
EDIT_ARCHIVES = "archives.edit"
IMPORT_ARCHIVES = "archives.import"
_ARCHIVE_KEEPING = {VIEW_ARCHIVES, VIEW_ARCHIVES_PII, REVEAL_PII, EDIT_ARCHIVES, IMPORT_ARCHIVES}
# Matters: VIEW shows the matters of one's subtree; VIEW_ASSIGNED only those held by one's organization
# (a department sees what is assigned to it, not the whole county it serves). REPORT records a new
# one; HANDLE moves it through its workflow where one's grants cover where it is held; SUPERVISE
# orders supervision and reads the boards; CONFIGURE edits time limits, categories and the calendar.
VIEW_MATTERS = "matters.view"
VIEW_ASSIGNED_MATTERS = "matters.view_assigned"
REPORT_MATTERS = "matters.report"
HANDLE_MATTERS = "matters.handle"
SUPERVISE_MATTERS = "matters.supervise"
CONFIGURE_MATTERS = "matters.configure"
# Contact days and visits: PLAN_CONTACT_DAYS schedules and records contact days; RECORD_VISITS logs
# household visits.
PLAN_CONTACT_DAYS = "matters.plan_contact_days"
RECORD_VISITS = "matters.record_visits"
_MATTER_WORK = {VIEW_MATTERS, REPORT_MATTERS, HANDLE_MATTERS, RECORD_VISITS}
# Grid teams: VIEW_TEAMS reads rosters, team statistics, training sessions and kits; MANAGE_TEAMS appoints and ends
# promoters and volunteers, records training sessions and attendance in its subtree and issues kits;
# MANAGE_LECTURERS keeps the county's lecturer group.
VIEW_TEAMS = "teams.view"
MANAGE_TEAMS = "teams.manage"
MANAGE_LECTURERS = "teams.manage_lecturers"
# SUBMIT_STAFF: a county unit lists its staff who volunteer (a department member for their own unit, the county
# office for any unit it serves); MANAGE_TEAMS then assigns them to grids.
SUBMIT_STAFF = "teams.submit_staff"
# Associations (和谐平安促进会): VIEW_ASSOCIATIONS reads them, their posts and meetings; MANAGE_ASSOCIATIONS
# appoints and ends posts and records meetings.
VIEW_ASSOCIATIONS = "associations.view"
MANAGE_ASSOCIATIONS = "associations.manage"
_ASSOCIATIONS = {VIEW_ASSOCIATIONS, MANAGE_ASSOCIATIONS}

# Full-process service (services app): VIEW_APPLICATIONS shows the applications of one's subtree (division
# grants), of one's point (organization grants, staff postings) or assigned to one's department;
# HANDLE_APPLICATIONS accepts and moves them; MANAGE_SERVICE_CATALOG edits points and the catalog.
VIEW_APPLICATIONS = "services.view_applications"
HANDLE_APPLICATIONS = "services.handle_applications"
MANAGE_SERVICE_CATALOG = "services.manage_catalog"

# Petitions (信访): VIEW_PETITIONS shows the petitions of one's subtree and their statistics, never an
# accuser's identity; HANDLE_PETITIONS registers, routes and replies (the petition office at a division
# grant) or handles what is routed to one's unit (an organization grant).
VIEW_PETITIONS = "petitions.view"
HANDLE_PETITIONS = "petitions.handle"
# Village affairs: VIEW reads bodies, meetings, major matters and disclosure; RECORD (village cadres) records
# them and moves a matter through its steps; REVIEW (township cadres) answers the filing step (报审).
VIEW_VILLAGE_AFFAIRS = "village_affairs.view"
RECORD_VILLAGE_AFFAIRS = "village_affairs.record"
REVIEW_VILLAGE_AFFAIRS = "village_affairs.review"

_OPERATOR = {VIEW_DIVISIONS, VIEW_ORGANIZATIONS}

# The one role -> capability table (duty separation needs it in one place). Each app declares the
# capabilities it checks (AppConfig.capabilities); a system check (access.checks) keeps the two in step.
CAPABILITIES: dict[str, set[str]] = {
    Role.GRID_PROMOTER: _OPERATOR | {VIEW_ARCHIVES, VIEW_ARCHIVES_PII, REVEAL_PII, EDIT_ARCHIVES} | _MATTER_WORK
    | {VIEW_TEAMS, VIEW_ASSOCIATIONS},
    Role.GRID_VOLUNTEER: _OPERATOR | {VIEW_ARCHIVES, VIEW_MATTERS, REPORT_MATTERS, RECORD_VISITS, VIEW_TEAMS,
                                      VIEW_ASSOCIATIONS},
    Role.VILLAGE_CADRE: _OPERATOR | _ARCHIVE_KEEPING | _MATTER_WORK | {VIEW_TEAMS, MANAGE_TEAMS} | _ASSOCIATIONS
    | {VIEW_PETITIONS} | {VIEW_VILLAGE_AFFAIRS, RECORD_VILLAGE_AFFAIRS},
    Role.ARCHIVE_KEEPER: _OPERATOR | _ARCHIVE_KEEPING | {VIEW_MATTERS, REPORT_MATTERS, RECORD_VISITS, VIEW_TEAMS,
                                                          VIEW_ASSOCIATIONS},
    Role.TOWNSHIP_CADRE: _OPERATOR | {RESTRUCTURE} | _ARCHIVE_KEEPING | _MATTER_WORK
    | {SUPERVISE_MATTERS, PLAN_CONTACT_DAYS, VIEW_TEAMS, MANAGE_TEAMS, VIEW_APPLICATIONS} | _ASSOCIATIONS
    | {VIEW_PETITIONS} | {VIEW_VILLAGE_AFFAIRS, REVIEW_VILLAGE_AFFAIRS},
    Role.SERVICE_STAFF: _OPERATOR | {REPORT_MATTERS, VIEW_ASSIGNED_MATTERS, VIEW_APPLICATIONS, HANDLE_APPLICATIONS},
    Role.COUNTY_OFFICE: _OPERATOR | {RESTRUCTURE, MANAGE_ORGANIZATIONS, VIEW_ARCHIVES, VIEW_ARCHIVES_PII}
    | _MATTER_WORK | {SUPERVISE_MATTERS, CONFIGURE_MATTERS, PLAN_CONTACT_DAYS, VIEW_TEAMS, MANAGE_TEAMS}
    | {MANAGE_LECTURERS, SUBMIT_STAFF, CONFIGURE_CALENDAR}
    | _ASSOCIATIONS
    | {VIEW_APPLICATIONS, HANDLE_APPLICATIONS, MANAGE_SERVICE_CATALOG}
    | {VIEW_PETITIONS} | {VIEW_VILLAGE_AFFAIRS},
    Role.DEPARTMENT_MEMBER: _OPERATOR | {VIEW_ASSIGNED_MATTERS, HANDLE_MATTERS, VIEW_APPLICATIONS,
                                        HANDLE_APPLICATIONS, SUBMIT_STAFF, HANDLE_PETITIONS},
    Role.AUDITOR: {VIEW_DIVISIONS, VIEW_ORGANIZATIONS, VIEW_USERS, VIEW_AUDIT, VIEW_ARCHIVES, VIEW_ARCHIVES_PII,
                   VIEW_MATTERS, VIEW_TEAMS, VIEW_APPLICATIONS, VIEW_ASSOCIATIONS, VIEW_PETITIONS,
                   VIEW_VILLAGE_AFFAIRS},
    Role.ADMIN: {VIEW_DIVISIONS, VIEW_ORGANIZATIONS, VIEW_USERS, MANAGE_USERS},
    Role.PETITION_OFFICER: _OPERATOR | {VIEW_ARCHIVES, VIEW_PETITIONS, HANDLE_PETITIONS},
}

# What a superuser holds everywhere without a grant: administration only. A superuser does not read the
# audit trail, reveal personal information or do operators' work (level 3 separation of duties).
ADMINISTRATION: frozenset[str] = frozenset(CAPABILITIES[Role.ADMIN])

DUTY: dict[str, Duty] = {role: Duty.OPERATOR for role in Role}
DUTY[Role.ADMIN] = Duty.ADMIN
DUTY[Role.AUDITOR] = Duty.AUDITOR

# The level a role is normally granted at; a grant above it is refused (a promoter serves grids).
LOWEST_LEVEL: dict[str, str] = {
    Role.GRID_PROMOTER: "grid",
    Role.GRID_VOLUNTEER: "grid",
}
ORGANIZATION_ROLES = {Role.SERVICE_STAFF, Role.DEPARTMENT_MEMBER}
