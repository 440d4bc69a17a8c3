"""Import every domain's models so SQLAlchemy's metadata (and Alembic) sees all tables."""

from app.applications.models import Application, ApplicationEvent
from app.audit.models import AuditEvent
from app.auth.models import ApiToken, Role, User
from app.employers.models import JobPosting, PostingSkill, PostingStatus, Shift
from app.institutions.models import (
    Batch,
    Course,
    CourseMode,
    Enrolment,
    EnrolmentStatus,
    Module,
    course_skill,
    module_skill,
)
from app.jobs.models import JobRun, JobStatus
from app.matchmaking.models import MatchChange
from app.notices.models import DeliveryStatus, Notice
from app.organisations.models import Cluster, Organisation, OrganisationKind
from app.placements.models import EmploymentType, Placement, RetentionCheck, Verification
from app.privacy.models import (
    Consent,
    Grievance,
    GrievanceStatus,
    GuardianConsent,
    GuardianRelation,
)
from app.skills.models import Skill, SkillAlias, SkillKind, TaxonomyImport
from app.versions import DataVersion
from app.workers.models import Education, Gender, SkillSource, Worker, WorkerSkill

__all__ = [
    "ApiToken",
    "Application",
    "ApplicationEvent",
    "AuditEvent",
    "Batch",
    "Cluster",
    "Consent",
    "Course",
    "CourseMode",
    "DataVersion",
    "DeliveryStatus",
    "Education",
    "EmploymentType",
    "Enrolment",
    "EnrolmentStatus",
    "Gender",
    "Grievance",
    "GrievanceStatus",
    "GuardianConsent",
    "GuardianRelation",
    "JobPosting",
    "JobRun",
    "JobStatus",
    "MatchChange",
    "Module",
    "Notice",
    "Organisation",
    "OrganisationKind",
    "Placement",
    "PostingSkill",
    "PostingStatus",
    "RetentionCheck",
    "Role",
    "Shift",
    "Skill",
    "SkillAlias",
    "SkillKind",
    "SkillSource",
    "TaxonomyImport",
    "User",
    "Verification",
    "Worker",
    "WorkerSkill",
    "course_skill",
    "module_skill",
]
