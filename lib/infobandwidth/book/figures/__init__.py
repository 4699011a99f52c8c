"""Drawing functions and :class:`~infobandwidth.book.demos.Demo` definitions, one module per chapter topic.

Every module-level ``Demo`` here is found by ``infobandwidth.book.demos`` (tests and the latency
benchmark sweep them all), so a chapter's demo is written once, here, and shown with
``infobandwidth.book.demos.show``.
"""
