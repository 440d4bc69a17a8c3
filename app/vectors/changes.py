"""The search texts version: raised by every committed write that the posting or course texts
depend on, so a search knows in one primary-key read whether its namespace may be stale.

A counter of its own (app/versions.py), apart from the matching one, which moves on far more
writes (every worker, consent and enrolment), each of which would cost a search a digest pass.
Writes made outside the app (SQL by hand) are not seen: run `flask vectors sync`, which compares
every digest.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.employers.models import JobPosting, PostingSkill
from app.institutions.models import Course, course_skill
from app.skills.models import Skill
from app.versions import watch

# What open_posting_texts and course_texts read: titles, descriptions, syllabi, skill labels.
SEARCH_TEXTS = watch(
    "search_texts", (JobPosting, PostingSkill, Course, Skill), tables=(course_skill.name,)
)


def search_texts_version(session: Session) -> int:
    return SEARCH_TEXTS.version(session)
