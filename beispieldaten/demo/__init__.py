"""Demo data for local development: invented but plausible German records (`demo_laden`)."""
