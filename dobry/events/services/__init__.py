"""Event services: the lifecycle of events and shifts, signups, attendance."""
