"""Outcome indicators, the scheme views (DDU-GKY, WIOA) and disclosure control: a plain library.

No Flask, no database, no app: plain records in (records.py), plain JSON-ready dicts out. The app
(app/outcomes) reads the database into these records and shows or exports the reports; the
figures can so be checked against an independent computation (tests/unit/indicators).

    records.py     the records, the as-of rule and the readings every report shares
    skeleton.py    one report skeleton: a Scheme (table, tally, how a worker counts) -> report
    outcomes.py    the outcome indicators (placement, retention reported and verified, wages)
    schemes.py     DDU-GKY and WIOA-style views, as schemes of the same skeleton
    disclosure.py  statistical disclosure control of every table
    reports.py     a report by kind over one set of records, scoped to an institution if asked
    dashboard.py   the shares and quota flags a dashboard shows beside the tables
"""
