"""Claim checks of §4.2.2, *LoRA without regret, in miniature* (``book/part4/lora-miniature.md``).

The runs come from :mod:`infobandwidth.book.experiments.lora_miniature` (cached per process).
"""
from __future__ import annotations

from infobandwidth.book.claims.registry import EQUAL_SHARE, Finding, claim, factor_verdict
from infobandwidth.book.experiments.lora_miniature import (
    RANKS,
    SEEDS,
    SETTINGS,
    capacity_rows,
    summaries,
)

__all__ = ["match_numbers", "MATCH_RULE"]

#: The rule of the two "matches full fine-tuning" checks.
MATCH_RULE = (f"holds if the arm's mean final score and its mean area under the curve both reach "
              f"{EQUAL_SHARE:.0%} of full fine-tuning's (EQUAL_SHARE); fails otherwise")


def _instances(task: str) -> str:
    s = SETTINGS
    return (f"{len(RANKS) + 1} arms × {len(SEEDS)} seeds at each arm's best learning rate, "
            f"P = {s['P']} prompts, d = {s['d']}, |V| = {s['V']}, {s['episodes']} episodes ({task})")


def match_numbers(task: str) -> dict:
    """For each arm: its mean final score and mean AUC as shares of full fine-tuning's."""
    arms = summaries(task)
    full = arms[0]
    out = {}
    for a in arms[1:]:
        out[a.rank] = (float(a.finals.mean() / full.finals.mean()),
                       float(a.aucs.mean() / full.aucs.mean()))
    return out


def _matches(shares) -> bool:
    return min(shares) >= EQUAL_SHARE


@claim("lora-rank1-rl", "4.2",
       "Under RL, rank-1 LoRA matches full fine-tuning (Schulman et al. 2025, as the article's "
       "capacity argument predicts).")
def rank1_rl() -> Finding:
    m = match_numbers("rl")
    final, auc = m[1]
    smallest = next((r for r in RANKS if _matches(m[r])), None)
    verdict = "holds" if _matches(m[1]) else "fails"
    return Finding(
        verdict,
        f"rank 1 reaches {final:.0%} of full fine-tuning's final success rate and {auc:.0%} of its "
        f"area under the curve; the smallest rank that matches is "
        f"{'none' if smallest is None else smallest}",
        {"rank-1 final / full": final, "rank-1 AUC / full": auc,
         "smallest matching rank": smallest if smallest is not None else "none"},
        rule=MATCH_RULE, instances=_instances("RL, shared preference"), decides='rank-1 final / full')


@claim("lora-rank-sft", "4.2",
       "Under information-rich supervised fine-tuning, low-rank LoRA falls short of full "
       "fine-tuning, and more rank helps (Schulman et al. 2025).")
def rank_sft() -> Finding:
    m = match_numbers("sft")
    arms = summaries("sft")
    aucs = [float(a.aucs.mean()) for a in arms[1:]]
    short = not _matches(m[1])
    increasing = bool(aucs[-1] > aucs[0])
    verdict = "holds" if short and increasing else "fails"
    return Finding(
        verdict,
        f"rank 1 reaches {m[1][0]:.0%} of full fine-tuning's final KL reduction and {m[1][1]:.0%} of "
        f"its area under the curve; the area grows from {aucs[0]:.3f} at rank 1 to {aucs[-1]:.3f} at "
        f"rank {RANKS[-1]}",
        {"rank-1 final / full": m[1][0], "rank-1 AUC / full": m[1][1],
         f"rank-{RANKS[-1]} final / full": m[RANKS[-1]][0]},
        rule=(f"holds if rank 1 does not match full fine-tuning (its mean final score or its mean area "
              f"under the curve below {EQUAL_SHARE:.0%} of full's) and the area under the curve rises "
              f"from the lowest to the highest rank; fails otherwise"),
        instances=_instances("SFT"), decides='rank-1 final / full')


@claim("lora-storage-vs-rl-bits", "4.2",
       "A LoRA adapter's storage (parameters × 32 bits) exceeds the information policy gradient "
       "delivers by a factor of about 100.")
def storage_vs_bits() -> Finding:
    rows = [r for r in capacity_rows("rl") if r["rank"] is not None]
    ratios = [r["storage_bits"] / r["observer_bits"] for r in rows]
    r1 = rows[0]
    verdict = factor_verdict(ratios, 100.0)
    return Finding(
        verdict,
        f"over {r1['episodes']} episodes the ideal observer learned {r1['observer_bits']:.0f} bits; a "
        f"rank-1 adapter stores {r1['storage_bits']} bits ({ratios[0]:.0f}×), but its learned update "
        f"needs {r1['update_bits']:.0f} bits once truncated and quantised "
        f"({r1['update_bits'] / r1['observer_bits']:.1f}×)",
        {"observer bits (rank 1 run)": r1["observer_bits"], "rank-1 storage bits": r1["storage_bits"],
         "smallest storage / bits ratio": float(min(ratios)),
         "rank-1 update description length (bits)": r1["update_bits"]},
        rule="factor", instances=_instances("RL, seed 0 of each arm"), decides='smallest storage / bits ratio')
