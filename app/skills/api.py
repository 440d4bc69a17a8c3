"""/api/v1/skills: the taxonomy, and skill linking for any text."""

from __future__ import annotations

from flask import abort
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from app.auth.access import role_required
from app.auth.models import ANY_ROLE
from app.common import paginated
from app.extensions import db
from app.skills import services
from app.skills.linking import TextTooCostly, suggest_skills
from app.skills.models import Skill
from app.skills.schemas import LinkedSkillOut, LinkIn, SkillOut, SkillQuery, SkillUriQuery

blp = Blueprint(
    "skills_api",
    __name__,
    url_prefix="/api/v1/skills",
    description="The skill taxonomy and skill linking",
)


@blp.route("")
class SkillCollection(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.arguments(SkillQuery, location="query")
    @blp.response(200, SkillOut(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Skills whose label or alias contains `q` (ESCO and the cluster's own)."""
        return paginated(
            services.search_skills(query.get("q"), query.get("kind")), pagination_parameters
        )


@blp.route("/by-uri")
class SkillByUri(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.arguments(SkillUriQuery, location="query")
    @blp.response(200, SkillOut)
    def get(self, query):
        """One skill by its URI (URIs hold slashes, so they go in the query string)."""
        skill = db.session.scalar(select(Skill).where(Skill.uri == query["uri"]))
        if skill is None:
            abort(404, description=f"No skill with URI {query['uri']!r}.")
        return skill


@blp.route("/link")
class SkillLinking(MethodView):
    decorators = [role_required(*ANY_ROLE)]

    @blp.arguments(LinkIn)
    @blp.response(200, LinkedSkillOut(many=True))
    def post(self, data):
        """Ranked taxonomy skills for a text (a job ad, a worker's words, a syllabus), best first;
        `present` says whether the linker judges the skill mentioned, `span` quotes the evidence."""
        try:
            return suggest_skills(data["text"], top_k=data["top_k"])
        except TextTooCostly as exc:
            abort(422, description=str(exc))
        except LookupError as exc:
            abort(409, description=str(exc))
