"""Claim checks of §4.6, *Fundamental trade-offs* (``book/part4/trade-offs.md``).

The runs come from :mod:`infobandwidth.book.experiments.trade_offs` (cached per process).
"""
from __future__ import annotations

import numpy as np

from infobandwidth.book.claims.registry import (
    Finding,
    claim,
    counterexample_verdict,
    describe_instances,
    reading_verdict,
)
from infobandwidth.book.experiments.trade_offs import (
    DENSITY,
    FORGET,
    PRIOR,
    density_rows,
    forgetting,
    prior_arms,
)

__all__ = ["trade_off_exists", "forgetting_table", "PREDICTS"]

#: A quantity "predicts" the episodes to solve when their log correlates above this over the priors.
PREDICTS = 0.5


def trade_off_exists(dense_key: str, sparse_key: str) -> dict[int, bool]:
    """Per horizon ``T ≥ 2``: does the denser learner get more bits per episode *and* fewer bits
    per operation (a real trade-off), rather than winning or losing on both?"""
    rows = density_rows()
    d, s = rows[dense_key], rows[sparse_key]
    out = {}
    for i, T in enumerate(d["T"]):
        if T < 2:
            continue
        more_bits = d["bits"][i] > s["bits"][i] + 1e-12
        fewer_per_op = d["bits_per_op"][i] < s["bits_per_op"][i] - 1e-15
        out[int(T)] = bool(more_bits and fewer_per_op)
    return out


@claim("trade-density-compute", "4.6",
       "Dense signals give O(T) bits per episode but need a critic and more computation; sparse "
       "signals give O(1) bits with less computation: a trade-off of sample efficiency against "
       "computational efficiency.")
def density_compute() -> Finding:
    rows = density_rows()
    readings = {"same sparse reward (AC vs REINFORCE)": trade_off_exists("ac-sparse", "pg-return"),
                "article's pairing (dense AC vs sparse REINFORCE)": trade_off_exists("ac-dense", "pg-return")}
    outcomes = {k: ("holds" if any(v.values()) else "fails") for k, v in readings.items()}
    T_big = int(rows["ac-dense"]["T"][-1])
    ratio_ops = float(rows["ac-dense"]["ops"][-1] / rows["pg-return"]["ops"][-1])
    ratio_bpo = float(rows["ac-dense"]["bits_per_op"][-1] / rows["pg-return"]["bits_per_op"][-1])
    return Finding(
        reading_verdict(outcomes),
        f"actor-critic costs {ratio_ops:.2f}× REINFORCE's operations per episode at T = {T_big} (a "
        f"constant factor), but with a dense reward it gets {ratio_bpo:.0f}× the bits per operation; "
        f"with the same sparse reward it gets the same bits for more work. In neither reading does "
        f"one learner win on samples and lose on compute",
        {"AC ops / REINFORCE ops (T=1000)": ratio_ops,
         "dense AC bits/op ÷ sparse REINFORCE bits/op (T=1000)": ratio_bpo,
         "dense REINFORCE-rtg bits/op ÷ dense AC bits/op": float(
             rows["pg-rtg"]["bits_per_op"][-1] / rows["ac-dense"]["bits_per_op"][-1]),
         **{f"trade-off, {k}": v for k, v in outcomes.items()}},
        rule="reading",
        instances=describe_instances(len(rows["ac-dense"]["T"]) * 4, "row × horizon counts",
                                     V=[DENSITY["V"]], T=list(rows["ac-dense"]["T"]), B=[DENSITY["B"]]), decides=('AC ops / REINFORCE ops (T=1000)', 'dense REINFORCE-rtg bits/op ÷ dense AC bits/op'))


def _prior_instances() -> str:
    s = PRIOR
    return describe_instances(len(prior_arms()), "priors", V=[s["V"]], T=[s["T"]],
                              n_xi=[s["V"] ** s["T"]]) + f", {len(s['seeds'])} seeds each"


@claim("trade-prior-speed", "4.6",
       "A strong prior (low H(π* | prior), good pre-training) makes RL fine-tuning fast; a weak one "
       "(high H(π* | prior)) makes it slow.")
def prior_speed() -> Finding:
    arms = prior_arms()
    uniform = next(a for a in arms if a.beta == 0.0)
    # a counterexample: a prior with lower entropy than the uniform one that is slower than it
    worse = [a for a in arms if a.H_prior < uniform.H_prior - 1e-9 and a.median > uniform.median]
    right = sorted((a for a in arms if a.shift == 0), key=lambda a: a.H_prior)
    right_monotone = bool(all(np.diff([a.median for a in right]) >= 0))
    worst = min(worse, key=lambda a: (a.solved, a.H_prior)) if worse else None
    return Finding(
        counterexample_verdict(bool(worse)),
        (f"right priors are faster the stronger they are (median {right[0].median:.0f} episodes at "
         f"H = {right[0].H_prior:.2f} bits against {uniform.median:.0f} for the uniform prior), but "
         f"{len(worse)} of {len(arms) - 1} stronger priors are slower than the uniform one; the "
         f"strongest of the worst, H = {worst.H_prior:.2f} bits centred {worst.shift} tokens away from "
         f"the truth, solves {worst.solved:.0%} of its runs within {worst.budget} episodes")
        if worst is not None else "every prior with lower entropy than the uniform one was faster",
        {"uniform prior: H, median episodes": f"{uniform.H_prior:.2f}, {uniform.median:.0f}",
         "strongest right prior: H, median": f"{right[0].H_prior:.2f}, {right[0].median:.0f}",
         "right priors monotone in H": right_monotone,
         "lower-H priors slower than uniform": len(worse)},
        rule="counterexample", instances=_prior_instances(), decides='lower-H priors slower than uniform')


@claim("trade-prior-surprisal", "4.6",
       "Fine-tuning speed is set by H(π* | prior): the less a prior leaves to learn, the faster RL "
       "fine-tuning (hence: invest in high-quality pre-training).")
def prior_surprisal() -> Finding:
    arms = prior_arms()
    H = np.array([a.H_prior for a in arms])
    S = np.array([a.surprisal for a in arms])
    ep = np.array([np.log2(a.median) if np.isfinite(a.median) else np.log2(a.budget) + 1
                   for a in arms])
    rH = float(np.corrcoef(H, ep)[0, 1])
    rS = float(np.corrcoef(S, ep)[0, 1])
    return Finding(
        "holds" if rH > PREDICTS else "fails",
        f"across the priors, log2 of the median episodes correlates {rH:+.2f} with H(π* | prior) "
        f"but {rS:+.2f} with the surprisal −log2 p(ξ*) of the true task: what sets the speed is how "
        f"surprised the prior is by the task, not how little uncertainty it has",
        {"corr(log2 episodes, H(π*|prior))": rH, "corr(log2 episodes, surprisal)": rS},
        rule=(f"holds if log2 of the median episodes to solve correlates above {PREDICTS} with "
              f"H(π* | prior) over the priors (unsolved runs counted at twice the budget); fails "
              f"otherwise"),
        instances=_prior_instances(), decides='corr(log2 episodes, H(π*|prior))')


def forgetting_table() -> dict[str, dict[str, float]]:
    """Mean held-out KL from the pretrained policy per task and arm, and per bit of training KL."""
    out = {}
    for task in ("rl", "sft"):
        for a in forgetting(task):
            out[f"{task}, {a.label}"] = {"heldout": float(a.heldout_kl.mean()),
                                         "train": float(a.train_kl.mean()),
                                         "per_bit": float(a.heldout_kl.mean() / a.train_kl.mean()),
                                         "score": float(a.train_score.mean())}
    return out


@claim("trade-lora-forgetting", "4.6",
       "Policy gradient's low bandwidth naturally matches low-rank adapters, avoiding forgetting: "
       "low-rank adapters preserve pre-training, full fine-tuning risks forgetting.")
def lora_forgetting() -> Finding:
    tab = forgetting_table()
    lora = [k for k in tab if k.startswith("rl, rank")]
    less_than_full = [k for k in lora if tab[k]["heldout"] < tab["rl, full"]["heldout"]]
    arms = [a.label for a in forgetting("rl")]
    rl_below_sft = [a for a in arms if tab[f"rl, {a}"]["heldout"] < tab[f"sft, {a}"]["heldout"]]
    outcomes = {"LoRA forgets less than full under RL": "holds" if len(less_than_full) == len(lora) else "fails",
                "RL forgets less than SFT, arm by arm": "holds" if len(rl_below_sft) == len(arms) else "fails"}
    return Finding(
        reading_verdict(outcomes),
        f"on held-out prompts, full fine-tuning under RL moves the policy "
        f"{tab['rl, full']['heldout']:.2f} bits (KL from the pretrained policy) and rank 1 "
        f"{tab['rl, rank 1']['heldout']:.2f}; {len(less_than_full)} of {len(lora)} ranks forget less "
        f"than full, and RL forgets less than SFT in {len(rl_below_sft)} of {len(arms)} arms",
        {**{f"held-out KL, {k}": v["heldout"] for k, v in tab.items()}, **outcomes},
        rule="reading: each reading holds if it is true of every arm (mean over seeds); holds if both "
             "readings hold, fails if both fail, ill-defined otherwise",
        instances=(f"{len(FORGET['ranks'])} arms × {len(FORGET['seeds'])} seeds × 2 tasks, P = 64 prompts "
                   f"({FORGET['train_prompts']} fine-tuned, {64 - FORGET['train_prompts']} held out), "
                   f"d = 128, |V| = 32, {FORGET['episodes']} episodes"), decides=('held-out KL, rl, full', 'held-out KL, rl, rank 1'))
