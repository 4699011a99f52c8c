"""Layer 5 — the book layer: what only chapters and the build use. Claim checks and their registry
(:mod:`.claims`), the chapters' experiments and instances (:mod:`.experiments`), demos
(:mod:`.demos`), figures (:mod:`.figures`), exercises (:mod:`.exercises`), glue (:mod:`.glue`).
Nothing below this layer imports it (an import-linter contract in ``pyproject.toml``).
"""
