"""Pages where an institution adds a module to one of its courses and edits it: a unit taken on
its own (a bridge module closes one gap), which training plans offer with its share of the course's
fee. The same input schema and service as the API's ``/courses/<id>/modules``."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth.access import role_required
from app.common import get_by_external_id
from app.forms import form_payload, refusals_on
from app.institutions import services
from app.institutions.forms import ModuleForm
from app.institutions.models import Course, Module
from app.institutions.schemas import ModuleIn
from app.institutions.views import STAFF, owned_course, require_owner
from app.skills.labels import skill_name

bp = Blueprint("course_modules", __name__)


@bp.route("/institution/courses/<external_id>/modules/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new_module(external_id: str):
    return module_form_page(owned_course(external_id), None)


@bp.route("/institution/modules/<external_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_module(external_id: str):
    module = get_by_external_id(Module, external_id)
    require_owner(module.course.institution_id, "module", external_id)
    return module_form_page(module.course, module)


def module_form_page(course: Course, module: Module | None):
    """The module form, its skills ticked among the course's; saved, back to the course."""
    if request.method == "GET" and module is not None:
        form = ModuleForm(obj=module)
        form.skills.data = [skill.uri for skill in module.skills]
    else:
        form = ModuleForm()
    form.skills.choices = [
        (skill.uri, skill_name(skill.uri, skill.label)) for skill in course.skills
    ]
    if form.validate_on_submit():
        payload = form_payload(form, ModuleIn(), skip=("skills",))
        payload["skills"] = form.skills.data or []
        with refusals_on(form) as saving:
            data = ModuleIn().load(payload)
            if module is None:
                saving.saved = services.create_module(course, data)
            else:
                saving.saved = services.update_module(module, data)
        if saving.done:
            flash(_("Module “%(title)s” saved.", title=saving.saved.title), "success")
            return redirect(url_for("institutions.course", external_id=course.external_id))
    return render_template("institutions/module_form.html", form=form, course=course, module=module)
