"""Stage: events. Who did what to whom, when and where, with the sentence as evidence.

``classify`` gives the PLOVER type of a (sentence, source, target); ``coder`` finds the
actor pairs in an article's sentences and codes them; ``dates`` and ``places`` resolve
when and where (``summits`` dates a summit named without a date); ``merge`` decides when two
mentions report the same event.
"""
