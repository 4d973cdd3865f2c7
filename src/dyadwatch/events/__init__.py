"""Stage: events. Who did what to whom, when and where, with the sentence as evidence.

``candidates`` pairs the actors of two sides in an article's sentences; ``pair_model`` reads
each pair (the PLOVER types likely, and the status); ``coder`` runs them over an article and
dates and places what was read (``dates``, ``places``; ``summits`` dates a summit named
without a date); ``merge`` decides when two mentions report the same event. ``classify`` is
the older word model, still used for what "the two sides" did.
"""

# The least confidence of an event the relations index and key events count, and the default
# of every --min-confidence / min_confidence= filter: chosen on the development pages
# (benchmarks/train_pairs.py, cross-validated by story) for precision of about 0.8.
DEFAULT_MIN_CONFIDENCE = 0.7
