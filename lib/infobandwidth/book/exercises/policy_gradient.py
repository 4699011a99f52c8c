"""Exercises of §3.1, *Policy gradient (REINFORCE)*: the pages ``book/part3/policy-gradient.md``
(ids ``policy-gradient/...``), ``policy-gradient-bandwidth.md`` (``policy-gradient-bandwidth/...``)
and ``policy-gradient-learning.md`` (``policy-gradient-learning/...``)."""
from __future__ import annotations

import functools

import numpy as np

from infobandwidth.book.exercises._registry import Exercise, numbers_checker, register

__all__: list[str] = []

#: The baseline exercise: the task and the REINFORCE settings the reader uses.
BASELINE_TASK = {"V": 2, "T": 3, "seeds": 8, "n_updates": 100, "batch_size": 4, "lr": 2.0,
                 "threshold": 0.9}


@functools.lru_cache(maxsize=None)
def _medians(mean_instead: bool = False) -> tuple[float, float]:
    """Median (or mean) episodes to solve without a baseline and with the leave-one-out one."""
    from infobandwidth.learning.curves import run_seeds
    from infobandwidth.model.mdp import TokenMDP
    from infobandwidth.model.rewards import exact_match

    d = BASELINE_TASK
    fam = exact_match(TokenMDP(d["V"], d["T"]))
    out = []
    for baseline in ("none", "loo"):
        s = run_seeds("reinforce", fam, "prior", d["seeds"], threshold=d["threshold"],
                      n_updates=d["n_updates"], batch_size=d["batch_size"], lr=d["lr"],
                      baseline=baseline)
        out.append(float(np.mean(s.episodes_to_solve)) if mean_instead else s.median_episodes)
    return tuple(out)


def _baseline_extra(ans: np.ndarray, exp: np.ndarray):
    if np.allclose(ans, _medians(True), atol=0.5):
        return "those are the means over the seeds; the exercise asks for the medians (SeedSummary.median_episodes)."
    if np.allclose(ans, [3.0, 3.0], atol=0.5) or np.any(np.isclose(ans, 3.0, atol=0.5)):
        return ("3 episodes is the information bound H(π*)/log2 B, not what REINFORCE needs: run the "
                "learner and read its episodes to solve.")
    if np.any(ans < 4):
        return ("REINFORCE sees 4 episodes per update, so it cannot solve in fewer than 4; did you "
                "return updates instead of episodes?")
    if np.allclose(ans, exp / BASELINE_TASK["batch_size"], atol=0.5):
        return "these look like updates; multiply by the batch size (4) to get episodes."
    return None


register(Exercise(
    id="policy-gradient/baseline",
    section="3.1",
    question="REINFORCE on exact_match(TokenMDP(2, 3)), seeds 0..7 with xi='prior', n_updates=100, "
             "batch_size=4, lr=2.0: give (median episodes to reach 0.9·J* without a baseline, the same "
             "with baseline='loo').",
    solution=_medians,
    compare=numbers_checker(
        ["median episodes, no baseline", "median episodes, leave-one-out baseline"],
        information=False,
        item_hints=["call ib.run_seeds('reinforce', family, 'prior', 8, n_updates=100, batch_size=4, "
                    "lr=2.0) and read .median_episodes (threshold 0.9 is the default).",
                    "the same call with baseline='loo'."],
        extra=_baseline_extra),
    praise="Dozens of episodes either way, where the bound allows 3: a baseline cuts variance, "
           "not the information.",
))


# ------------------------------------------------------------------ 3.1.1: one REINFORCE step
#: The from-scratch REINFORCE step: one token from {a, b, c}, hidden answer a (exact match), the
#: logits, the four answers of the batch, the step size and a constant baseline.
STEP_TASK = {"logits": (0.5, 0.0, -0.5), "answers": (0, 2, 0, 1), "hidden": 0, "lr": 2.0,
             "baseline": 0.2}


def step_data() -> dict:
    """The numbers of the REINFORCE-step exercise: logits, answers, returns, step size, baseline."""
    d = STEP_TASK
    returns = np.array([float(a == d["hidden"]) for a in d["answers"]])
    return {"logits": np.array(d["logits"]), "answers": np.array(d["answers"]),
            "returns": returns, "lr": d["lr"], "baseline": d["baseline"]}


def _step(baseline: bool = True, divide: bool = True, sign: float = 1.0) -> np.ndarray:
    """The new logits after one step, from the library's estimator (or a typical slip)."""
    from infobandwidth.learning.reinforce import policy_gradient
    from infobandwidth.model.mdp import TokenMDP

    d = step_data()
    mdp = TokenMDP(len(d["logits"]), 1)
    rewards = np.eye(mdp.V)[STEP_TASK["hidden"]]
    g = policy_gradient(mdp, d["logits"][None, :], d["answers"], rewards,
                        baseline=d["baseline"] if baseline else None)[0]
    g = g if divide else g * len(d["answers"])
    return d["logits"] + sign * d["lr"] * g


def _step_extra(ans: np.ndarray, exp: np.ndarray):
    d = step_data()
    if np.allclose(ans, _step(baseline=False), atol=1e-3):
        return "this is the step without a baseline; subtract the baseline b from each return G."
    if np.allclose(ans, _step(divide=False), atol=1e-3):
        return "average over the batch: divide the summed update by the number of episodes."
    if np.allclose(ans, _step(sign=-1.0), atol=1e-3):
        return "the step goes *up* the gradient (θ + α·ĝ): REINFORCE maximises J."
    if np.allclose(ans - d["logits"], (exp - d["logits"]) / d["lr"], atol=1e-3):
        return "you returned θ plus the gradient; multiply the gradient by the step size α first."
    if np.allclose(ans, (exp - d["logits"]), atol=1e-3):
        return "you returned the change α·ĝ; the exercise asks for the new logits θ + α·ĝ."
    if abs(ans.sum() - d["logits"].sum()) > 1e-3:
        return ("the entries of a softmax score (one-hot minus π) sum to zero, so one step never "
                "changes the sum of the logits; yours does.")
    return None


register(Exercise(
    id="policy-gradient/reinforce-step",
    section="3.1",
    question="One REINFORCE step on a one-token task with tokens {a, b, c}, hidden answer a: logits "
             "(0.5, 0, -0.5), answers (a, c, a, b), returns 1 for a and 0 otherwise, baseline 0.2, "
             "step size 2: give the three new logits.",
    solution=_step,
    data=step_data,
    compare=numbers_checker(
        ["new logit of a", "new logit of b", "new logit of c"], information=False,
        item_hints=["π = softmax(θ); each episode adds (G − b)(onehot(answer) − π); average over "
                    "the batch, multiply by α, add to θ."] * 3,
        extra=_step_extra),
    praise="Both successes push a up and the failures push c and b down; the −π part of every "
           "score moves all logits together. The library's estimator does exactly this.",
))


# ------------------------------------------------------------------ 3.1.2: the chain of one return
#: The from-scratch chain: match count on two binary tokens with a non-uniform prior over the four
#: hidden strings, B levels, and the behaviour policy (token a with probability p_a at every step).
CHAIN_TASK = {"V": 2, "T": 2, "prior": (0.4, 0.3, 0.2, 0.1), "B": 3, "p_a": 0.8}


def _chain_family():
    from infobandwidth.model.mdp import TokenMDP
    from infobandwidth.model.rewards import match_count

    d = CHAIN_TASK
    return match_count(TokenMDP(d["V"], d["T"]), prior=list(d["prior"]))


def chain_data() -> dict:
    """The arrays of the return-chain exercise: ``prior`` p(ξ), ``policy`` p(τ) and ``returns``, the
    return level (0 .. B−1) of every pair (ξ, τ)."""
    from infobandwidth.model.mdp import behaviour_policy
    from infobandwidth.signals.signals import QuantisedReturn

    d = CHAIN_TASK
    fam = _chain_family()
    codes = QuantisedReturn(d["B"]).bind(fam).codes(np.arange(fam.n_xi),
                                                   np.arange(fam.mdp.n_trajectories))
    policy = behaviour_policy(fam.mdp, d["p_a"]).trajectory_probs()
    return {"prior": np.array(fam.prior, dtype=float), "policy": np.array(policy, dtype=float),
            "returns": np.asarray(codes, dtype=int)}


def _chain() -> tuple[float, float, float]:
    """(H(G), I(G; ξ), I(G; ξ | τ)) from the library's :func:`information_chain`."""
    from infobandwidth.model.mdp import behaviour_policy
    from infobandwidth.signals.returns import information_chain

    d = CHAIN_TASK
    fam = _chain_family()
    c = information_chain(fam, d["B"], behaviour_policy(fam.mdp, d["p_a"]))
    return c.H_G, c.I_G_xi, c.I_G_xi_given_tau


def _chain_extra(ans: np.ndarray, exp: np.ndarray):
    if np.isclose(ans[1], exp[0], atol=1e-3) and not np.isclose(exp[1], exp[0], atol=1e-3):
        return ("your I(G; ξ) equals H(G): subtract H(G | ξ), the uncertainty the policy's own "
                "sampling leaves once ξ is known.")
    if np.isclose(ans[2], exp[1], atol=1e-3):
        return ("your I(G; ξ | τ) equals I(G; ξ): condition on the trajectory, i.e. compute "
                "H(G | τ) − H(G | ξ, τ) with one distribution of G per τ.")
    if ans[1] > ans[0] + 1e-3 or ans[2] > np.log2(CHAIN_TASK["B"]) + 1e-3:
        return "an information about ξ cannot exceed H(G), nor a return of B levels log2 B bits."
    return None


register(Exercise(
    id="policy-gradient-bandwidth/return-chain",
    section="3.1",
    question="From data('policy-gradient-bandwidth/return-chain') (prior p(ξ), policy p(τ), the "
             "return level of every (ξ, τ)): give (H(G), I(G; ξ), I(G; ξ | τ)) in bits.",
    solution=_chain,
    data=chain_data,
    compare=numbers_checker(
        ["H(G)", "I(G; ξ)", "I(G; ξ | τ)"],
        item_hints=["p(g) = Σ_ξ Σ_τ p(ξ) p(τ) [returns[ξ, τ] = g]; then −Σ p log2 p.",
                    "I(G; ξ) = H(G) − Σ_ξ p(ξ) H(G | ξ), with p(g | ξ) = Σ_τ p(τ) [returns[ξ, τ] = g].",
                    "I(G; ξ | τ) = Σ_τ p(τ) H(G | τ) for a deterministic return, with "
                    "p(g | τ) = Σ_ξ p(ξ) [returns[ξ, τ] = g]."],
        extra=_chain_extra),
    praise="The learner, who knows τ, gets more than the article's I(G; ξ), and both stay under "
           "H(G) ≤ log2 B.",
))


# ------------------------------------------------------------------ 3.1.3: episodes to identify
#: The from-scratch observer: the run of §3.1.1 (exact match on 27 strings, hidden string 13,
#: seed 0, the chapter's REINFORCE settings), and the episode after which H(ξ | D) is asked.
IDENTIFY_TASK = {"V": 3, "T": 3, "xi": 13, "seed": 0, "after": 8}


@functools.lru_cache(maxsize=1)
def _identify_run() -> tuple:
    from infobandwidth.book.experiments.policy_gradient import PG_SETTINGS
    from infobandwidth.learning.reinforce import reinforce
    from infobandwidth.model.mdp import TokenMDP
    from infobandwidth.model.rewards import exact_match

    d = IDENTIFY_TASK
    fam = exact_match(TokenMDP(d["V"], d["T"]))
    curve = reinforce(fam, xi=d["xi"], seed=d["seed"], **PG_SETTINGS)
    return fam, tuple(int(t) for t in curve.trajectories)


def identify_data() -> dict:
    """The identification exercise's run: ``n_strings``, the hidden ``xi`` and its ``trajectories``."""
    fam, trajectories = _identify_run()
    return {"n_strings": fam.n_xi, "xi": IDENTIFY_TASK["xi"], "trajectories": np.array(trajectories)}


def _identify() -> tuple[float, float]:
    """(episodes after which the observer knows ξ, H(ξ | D_after)) from :func:`episode_information`."""
    from infobandwidth.signals.observer import episode_information

    fam, trajectories = _identify_run()
    info = episode_information(fam, IDENTIFY_TASK["xi"], np.array(trajectories))
    return float(info.first_known()), float(info.entropy_xi[IDENTIFY_TASK["after"]])


def _identify_extra(ans: np.ndarray, exp: np.ndarray):
    n = identify_data()["n_strings"]
    if np.isclose(ans[1], np.log2(n - IDENTIFY_TASK["after"]), atol=1e-3) and not np.isclose(
            exp[1], ans[1], atol=1e-3):
        return ("a string tried twice is eliminated only once: remove each failed string from the "
                "candidates, and count the candidates left.")
    if np.isclose(ans[0], exp[0] - 1, atol=1e-3):
        return "count episodes from 1: the answer is how many episodes the observer needed."
    if np.isclose(ans[1], np.log(max(2 ** exp[1], 1)), atol=1e-3):
        return "use log2: bits, not nats."
    return None


register(Exercise(
    id="policy-gradient-learning/identify",
    section="3.1",
    question="Exact match on 27 strings, the run of data('policy-gradient-learning/identify'): give "
             "(episodes after which the ideal observer knows ξ, H(ξ | D) after 8 episodes).",
    solution=_identify,
    data=identify_data,
    compare=numbers_checker(
        ["episodes to identify ξ", "H(ξ | D_8)"], information=False,
        item_hints=["a success identifies ξ at once; a failure removes one candidate; ξ is known "
                    "when one candidate is left.",
                    "under a uniform prior the posterior is uniform on the candidates left: "
                    "H = log2(number left)."],
        extra=_identify_extra),
    praise="The data identified the string long before REINFORCE solved the task: compare with "
           "the episodes it needed to reach 0.9·J*.",
))
