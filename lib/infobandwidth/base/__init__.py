"""Layer 0 — foundations every other layer uses: argument validation (:mod:`.validate`), the
numerical kernels and named tolerances (:mod:`.numerics`), progress bars (:mod:`.progress`).
Imports nothing else of :mod:`infobandwidth`.
"""
