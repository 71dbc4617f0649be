"""Mailings to the city's base (issue 13): subscribers, segments, composing, and the
delivery that survives faults. Models in `communications/models/mailings.py`."""
