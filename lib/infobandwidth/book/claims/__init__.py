"""Claim checks: every numeric or asymptotic claim of the article, computed, with a verdict.

The registry, the verdicts and the rules that decide them are in :mod:`.registry`. The checks live
in one module per chapter, named like the chapter file (``policy_gradient`` holds §3.1's), each a
function registered with :func:`~.registry.claim`. Chapters show a check with
:func:`~.registry.show_claim`; the conclusion tabulates :func:`~.registry.all_claims`.
"""
from infobandwidth.book.claims.registry import (
                                                VERDICTS,
                                                ClaimResult,
                                                Finding,
                                                all_claims,
                                                claim,
                                                evaluate,
                                                show_claim,
)

__all__ = ["VERDICTS", "ClaimResult", "Finding", "all_claims", "claim", "evaluate", "show_claim"]
