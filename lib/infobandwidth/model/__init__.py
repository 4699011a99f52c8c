"""Layer 2 — the token-level MDP and what is unknown about it: states, policies and returns
(:mod:`.mdp`), reward families with priors over ξ (:mod:`.rewards`), optimal policies π*
(:mod:`.optimal`), exact value functions and TD errors (:mod:`.values`). Chapters 2.1–2.2.
"""
