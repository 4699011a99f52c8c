"""Drawing functions and :class:`~infobandwidth.demos.Demo` definitions, one module per chapter topic.

Every module-level ``Demo`` here is found by ``infobandwidth.demos`` (tests and the latency
benchmark sweep them all), so a chapter's demo is written once, here, and shown with
``infobandwidth.demos.show``.
"""
