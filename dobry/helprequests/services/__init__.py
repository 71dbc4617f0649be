"""Help requests: submission with the consent gate, triage workflow, routing, offers, the
help given and its hours, retention, and audited reads of health data."""
