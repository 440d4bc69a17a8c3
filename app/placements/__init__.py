"""Placements and retention checks: recording them (pages, API, imports, hires) and correcting
them. Reporting on them is app/outcomes; the figures themselves are the pure package indicators/."""
