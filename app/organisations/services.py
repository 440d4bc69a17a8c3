"""Cluster and organisation use cases. Services flush; the request or command commits once."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Select, select

from app.common import (
    find_by_external_id,
    id_in_use,
    missing_fields,
    require_fields,
    row_named_in,
)
from app.errors import ValidationFailed
from app.extensions import db
from app.organisations.models import Cluster, Organisation, OrganisationKind

CLUSTER_FIELDS = ("name", "state", "sectors")
ORGANISATION_FIELDS = (
    "name",
    "sector",
    "district",
    "state",
    "msme_size",
    "tier",
    "institution_type",
)


def cluster_by_external_id(external_id: str) -> Cluster | None:
    return find_by_external_id(Cluster, external_id)


def upsert_cluster(data: Mapping) -> tuple[Cluster, bool]:
    """Create or update the cluster `data["external_id"]` (name, state, sectors); says if created."""
    external_id = data.get("external_id")
    if not external_id:
        raise ValidationFailed({"external_id": ["A cluster needs an id."]})
    cluster = cluster_by_external_id(external_id)
    created = cluster is None
    if created:
        require_fields(data, ("name", "state"))
        cluster = Cluster(external_id=external_id, sectors=[])
        db.session.add(cluster)
    for field in CLUSTER_FIELDS:
        if field in data:
            value = data[field]
            setattr(cluster, field, list(value or []) if field == "sectors" else value)
    db.session.flush()
    return cluster, created


def organisation_by_external_id(
    external_id: str, kind: OrganisationKind | str | None = None
) -> Organisation | None:
    """The organisation with this id, or None; with `kind`, only one of that kind."""
    statement = select(Organisation).where(Organisation.external_id == external_id)
    if kind is not None:
        statement = statement.where(Organisation.kind == OrganisationKind(kind))
    return db.session.scalar(statement)


def organisations_of_kind(kind: OrganisationKind | str) -> Select:
    """A select of employers or institutions, by name; organisations are not personal data."""
    return (
        select(Organisation)
        .where(Organisation.kind == OrganisationKind(kind))
        .order_by(Organisation.name, Organisation.id)
    )


def upsert_organisation(data: Mapping) -> tuple[Organisation, bool]:
    """Create or update the organisation `data["external_id"]`; says whether it was created.

    Keys: kind (employer|institution), name, sector, district, state, msme_size, tier,
    institution_type, cluster (a cluster's external id, or None to detach). An existing
    organisation keeps its kind: an employer's postings cannot silently become a college's.
    """
    external_id = data.get("external_id")
    if not external_id:
        raise ValidationFailed({"external_id": ["An organisation needs an id."]})
    organisation = organisation_by_external_id(external_id)
    if organisation is None:
        return create_organisation(data), True
    return update_organisation(organisation, data), False


def create_organisation(data: Mapping) -> Organisation:
    errors: dict[str, list[str]] = {}
    kind = _kind_or_error(data.get("kind"), errors)
    errors.update(missing_fields(data, ["name"]))
    external_id = data.get("external_id")
    errors.update(id_in_use(Organisation, external_id, "organisation"))
    if errors:
        raise ValidationFailed(errors)
    organisation = Organisation(external_id=external_id, kind=kind)
    db.session.add(organisation)
    return update_organisation(organisation, {k: v for k, v in data.items() if k != "kind"})


def update_organisation(organisation: Organisation, data: Mapping) -> Organisation:
    """Change only the fields present in `data`; a different kind is refused."""
    errors: dict[str, list[str]] = {}
    if "kind" in data:
        kind = _kind_or_error(data["kind"], errors)
        if kind is not None and kind is not organisation.kind:
            errors["kind"] = [
                f"{organisation.external_id} is an {organisation.kind.value}; its kind cannot change."
            ]
    with db.session.no_autoflush:  # a new organisation has no name yet at this point
        cluster = row_named_in(
            data, "cluster", Cluster, errors, organisation.cluster, optional=True
        )
    if "name" in data and not data["name"]:
        errors["name"] = ["A name is required."]
    if errors:
        raise ValidationFailed(errors)
    for field in ORGANISATION_FIELDS:
        if field in data:  # an empty optional text is stored as NULL, not ""
            value = data[field]
            setattr(organisation, field, value if field == "name" else (value or None))
    organisation.cluster = cluster
    db.session.flush()
    return organisation


def _kind_or_error(value: object, errors: dict[str, list[str]]) -> OrganisationKind | None:
    try:
        return OrganisationKind(value)
    except ValueError:
        choices = ", ".join(kind.value for kind in OrganisationKind)
        errors["kind"] = [f"Must be one of: {choices}."]
        return None
