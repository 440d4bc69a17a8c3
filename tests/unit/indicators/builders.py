"""Small builders for outcome records, so each test states only what it is about."""

from __future__ import annotations

from datetime import date, timedelta

from indicators.records import EnrolmentRecord, PlacementRecord, WorkerRecord

AS_OF = date(2025, 6, 30)


def days_before(n: int, day: date = AS_OF) -> date:
    return day - timedelta(days=n)


def days_after(day: date, n: int) -> date:
    return day + timedelta(days=n)


def worker(
    worker_id: int,
    gender: str = "female",
    district: str = "Pune",
    born: date = date(2000, 1, 1),
) -> WorkerRecord:
    return WorkerRecord(worker_id, gender, district, born)


def enrol(
    enrolment_id: int,
    worker_id: int,
    enrolled_on: date = date(2024, 1, 1),
    *,
    institution: str = "ITI-Chakan",
    course: str = "CNC-operator",
    completed_on: date | None = None,
    certified_on: date | None = None,
    certified: bool | None = None,
    course_months: int | None = 3,
    batch: str | None = None,
) -> EnrolmentRecord:
    return EnrolmentRecord(
        enrolment_id=enrolment_id,
        worker_id=worker_id,
        institution=institution,
        course=course,
        enrolled_on=enrolled_on,
        status="completed" if completed_on else "enrolled",
        completed_on=completed_on,
        certified=certified if certified is not None else certified_on is not None,
        certified_on=certified_on,
        course_months=course_months,
        batch=batch,
    )


def job(
    placement_id: int,
    worker_id: int,
    placed_on: date,
    ended_on: date | None = None,
    wage: float = 10000.0,
    kind: str = "wage",
) -> PlacementRecord:
    return PlacementRecord(placement_id, worker_id, placed_on, ended_on, wage, kind)
