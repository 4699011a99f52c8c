"""Layer 4 — learners: tabular REINFORCE and actor-critic with exact learning curves
(:mod:`.learners`), and sample-complexity bounds (:mod:`.sample_complexity`). Chapters 3.1–3.2, 4.3.
"""
