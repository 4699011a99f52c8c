"""Layer 1 — information measures on explicit distributions, in bits: entropies, mutual
information and KL (:mod:`.measures`), joints of named variables (:mod:`.joint`), quantisation
(:mod:`.quantise`), channels (:mod:`.channels`), Gaussian processes (:mod:`.gaussian`) and the same
measures on sympy symbols (:mod:`.symbolic`). Chapters 2.3–2.4.
"""
