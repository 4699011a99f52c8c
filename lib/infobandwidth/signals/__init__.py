"""Layer 3 — what an episode shows a learner, and how much it tells: learning signals
(:mod:`.signals`), the ideal Bayesian observer (:mod:`.observer`), exact and sampled bandwidths
(:mod:`.bandwidth`, :mod:`.montecarlo`), the return chain of policy gradient (:mod:`.returns`) and
the information in TD errors (:mod:`.td`). Chapters 2.5, 3.1, 3.2.
"""
