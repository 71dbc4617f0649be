"""Grant competition services: the call, applications, expert review, decisions."""
