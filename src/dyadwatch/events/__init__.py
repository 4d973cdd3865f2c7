"""Stage: events. Who did what to whom, when and where, with the sentence as evidence.

``candidates`` pairs the actors of two sides in an article's sentences; ``pair_model`` reads
each pair (the PLOVER types likely, and the status); ``coder`` runs them over an article and
dates and places what was read (``dates``, ``places``; ``summits`` dates a summit named
without a date); ``merge`` decides when two mentions report the same event; ``classify``
gives an act its CAMEO root, quad, intensity and mode, and reads the status cues.
"""

# The least confidence of an event the relations index and key events count, and the default
# of every --min-confidence / min_confidence= filter. On the development pages, cross-validated
# by story (benchmarks/bench_chinaus.py --folds), 0.65 of the mentions at or above it are
# right at the sentence and 0.89 tell an act of their page's gold; no threshold reaches 0.8.
DEFAULT_MIN_CONFIDENCE = 0.7
