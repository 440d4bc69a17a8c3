"""The matching data version: raised by every committed write that matching depends on.

Every process keeps its match data (app/matches/match_inputs.py) until this version changes; how the
counter follows writes is app/versions.py. Until it commits, a session's own writes are not in
the version: `has_uncommitted_changes` tells match_data to build from what this session sees
instead of using (or replacing) the cache.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.employers.models import JobPosting, PostingSkill
from app.institutions.models import Batch, Course, Enrolment, Module, course_skill, module_skill
from app.organisations.models import Organisation
from app.privacy.models import Consent, GuardianConsent
from app.skills.models import Skill, SkillAlias
from app.versions import watch
from app.workers.models import Worker, WorkerSkill

# What build_match_data reads: a write to any of these changes someone's matches.
MATCHING = watch(
    "matching",
    (
        Worker,
        WorkerSkill,
        Consent,
        GuardianConsent,
        JobPosting,
        PostingSkill,
        Organisation,
        Course,
        Module,
        Batch,
        Enrolment,
        Skill,
        SkillAlias,
    ),
    tables=(course_skill.name, module_skill.name),
)


def matching_version(session: Session) -> int:
    return MATCHING.version(session)


def has_uncommitted_changes(session: Session) -> bool:
    return MATCHING.has_uncommitted_changes(session)
