"""Volunteering services: the hours ledger (`hours`: claims, attendance, decisions) and
the volunteer profile (`profiles`)."""
