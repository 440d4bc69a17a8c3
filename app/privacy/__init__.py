"""Personal data under India's DPDP Act 2023 and DPDP Rules 2025: notice, consent, guardians of
minors, erasure, data download, grievances, and encryption of sensitive fields at rest."""
