"""dyadwatch: evidence-backed event data on the relations between two countries."""

__version__ = "0.1.0"
