"""The instances and runs of §4.6, *Fundamental trade-offs* (``book/part4/trade-offs.md``).

Three trade-offs, each computed:

Signal density against computation
    The new bits per episode of the four rows of §4.1 (closed forms of
    :func:`~infobandwidth.book.experiments.comparison.closed_form`) against the operations an
    episode costs (:func:`~infobandwidth.learning.cost.ops_per_episode`, counted, not timed), and
    the episodes and operations to solve a hidden string
    (:func:`~infobandwidth.book.experiments.actor_critic.learning_comparison`).
Prior strength against learning speed
    REINFORCE on a hidden string of ``T = 6`` bits, started from the policy that writes strings with
    the probabilities of a tempered prior (:func:`~infobandwidth.model.priors.tempered_prior`) whose
    centre is the true string (right), half right, or its complement (wrong).
Adapter capacity against forgetting
    The pretrained network of §4.2.2 (:func:`~infobandwidth.book.experiments.lora_miniature.world`),
    fine-tuned on :data:`FORGET` ``["train_prompts"]`` of its prompts only, by full fine-tuning and
    LoRA of a few ranks, under RL and SFT; forgetting is measured on the prompts it never saw.
    A smaller run than §4.2.2: fewer ranks, half the episodes, the step size picked on one seed.

Every run is computed once per process (cached), so the chapter's cells, figures, demo and claim
checks share them.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from infobandwidth.base.numerics import entropy_bits, row_entropy_bits
from infobandwidth.base.progress import progress
from infobandwidth.learning.cost import ops_per_episode
from infobandwidth.learning.lora import (
    PolicyNet,
    merged,
    one_blas_thread,
    policy_table,
    rl_finetune,
    sft_finetune,
)
from infobandwidth.learning.reinforce import reinforce
from infobandwidth.learning.runs import episodes_to_solve
from infobandwidth.model.mdp import TokenMDP
from infobandwidth.model.priors import prior_policy_logits, surprisal_bits, tempered_prior
from infobandwidth.model.rewards import exact_match

__all__ = [
    "ROW_LEARNER",
    "DENSITY",
    "density_rows",
    "solve_costs",
    "PRIOR",
    "PriorArm",
    "prior_arms",
    "prior_arm",
    "prior_centre",
    "FORGET",
    "ForgetArm",
    "forgetting",
    "kl_rows_bits",
]

# ================================================================================= 1. density
#: Which counted learner produces each row of §4.1.
ROW_LEARNER = {"pg-return": "reinforce", "pg-rtg": "reinforce-rtg",
               "ac-sparse": "actor-critic", "ac-dense": "actor-critic"}
#: The density instance: binary tokens, a two-level grader, horizons, episodes per update, and the
#: learning-comparison runs (horizons, seeds, updates) whose episodes-to-solve we cost.
DENSITY = dict(V=2, B=2, T_values=(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000), batch_size=4,
               solve_T=(2, 3, 4), solve_seeds=4, solve_updates=40)


def density_rows(T_values=None, V: int | None = None, B: int | None = None,
                 batch_size: int | None = None) -> dict[str, dict[str, np.ndarray]]:
    """Per row of §4.1 and horizon: new bits, operations per episode and bits per operation.

    Returns
    -------
    dict
        ``{row key: {"T", "bits", "ops", "bits_per_op"}}`` (arrays over ``T_values``).

    Examples
    --------
    >>> r = density_rows((4,))
    >>> float(r["ac-dense"]["bits"][0]), float(r["pg-return"]["ops"][0])
    (4.0, 58.0)
    """
    from infobandwidth.book.experiments.comparison import closed_form

    T_values = tuple(DENSITY["T_values"] if T_values is None else T_values)
    V = DENSITY["V"] if V is None else V
    B = DENSITY["B"] if B is None else B
    n = DENSITY["batch_size"] if batch_size is None else batch_size
    out = {}
    for key, learner in ROW_LEARNER.items():
        bits = np.array([closed_form(key, T, V, B)[1] for T in T_values])
        ops = np.array([float(ops_per_episode(learner, V, T, batch_size=n).total) for T in T_values])
        out[key] = {"T": np.array(T_values), "bits": bits, "ops": ops, "bits_per_op": bits / ops}
    return out


_SOLVE_LEARNER = {"REINFORCE, sparse": "reinforce", "REINFORCE, dense (reward-to-go)": "reinforce-rtg",
                  "actor-critic, sparse": "actor-critic", "actor-critic, dense": "actor-critic"}


@functools.lru_cache(maxsize=1)
def solve_costs() -> dict[str, dict[str, np.ndarray]]:
    """Median episodes to solve a hidden string (§3.2's runs) and the operations they cost.

    Returns
    -------
    dict
        ``{learner label: {"T", "episodes", "ops_per_episode", "ops"}}``.
    """
    from infobandwidth.book.experiments.actor_critic import learning_comparison

    runs = learning_comparison(DENSITY["solve_T"], seeds=DENSITY["solve_seeds"],
                               n_updates=DENSITY["solve_updates"], V=DENSITY["V"],
                               batch_size=DENSITY["batch_size"])
    out = {}
    for label, d in runs.items():
        per = np.array([float(ops_per_episode(_SOLVE_LEARNER[label], DENSITY["V"], int(T),
                                              batch_size=DENSITY["batch_size"]).total)
                        for T in d["T"]])
        out[label] = {"T": np.asarray(d["T"]), "episodes": np.asarray(d["median"], dtype=float),
                      "ops_per_episode": per, "ops": np.asarray(d["median"], dtype=float) * per}
    return out


# ================================================================================= 2. priors
#: The prior instance: hidden string of T binary tokens (the true one is ``xi``), concentrations
#: ``betas``, Hamming distances ``shifts`` of the prior's centre from the truth (0 = right,
#: T = wrong), REINFORCE settings and the budget.
PRIOR = dict(V=2, T=6, xi=0b101101, betas=(0.0, 1.0, 2.0, 3.0), shifts=(0, 3, 6),
             seeds=(0, 1, 2, 3), n_updates=100, batch_size=16, lr=2.0, eval_every=4, threshold=0.9)


@dataclass(frozen=True)
class PriorArm:
    """REINFORCE from one pretrained (prior) policy, over the seeds.

    Attributes
    ----------
    beta, shift : float, int
        The prior's concentration and its centre's Hamming distance from the true string.
    H_prior : float
        ``H(π* | prior)`` in bits (for a hidden string π* is ξ, so it is the prior's entropy).
    surprisal : float
        ``-log2 p(ξ*)``, the bits the prior is short of the true task.
    J0 : float
        The pretrained policy's success rate, ``p(ξ*)``.
    episodes : numpy.ndarray
        Episodes to reach ``threshold · J*`` per seed (``inf`` if not within the budget).
    J : numpy.ndarray, shape (seeds, rows)
        The exact success rate along each run; ``x`` the episodes of its rows.
    """

    beta: float
    shift: int
    H_prior: float
    surprisal: float
    J0: float
    episodes: np.ndarray
    J: np.ndarray
    x: np.ndarray

    @property
    def budget(self) -> int:
        return int(self.x[-1])

    @property
    def solved(self) -> float:
        return float(np.isfinite(self.episodes).mean())

    @property
    def median(self) -> float:
        return float(np.median(self.episodes))

    @property
    def expected_wait(self) -> float:
        """Expected episodes until the first success, ``1 / p(ξ*)``: before it REINFORCE cannot move."""
        return 1.0 / self.J0


def prior_centre(shift: int) -> np.ndarray:
    """The prior's centre: the true string with its first ``shift`` tokens changed."""
    mdp = TokenMDP(PRIOR["V"], PRIOR["T"])
    c = mdp.decode(np.array([PRIOR["xi"]]))[0].astype(np.int64)
    c[:shift] = (c[:shift] + 1) % PRIOR["V"]
    return c


@functools.lru_cache(maxsize=1)
def prior_arms() -> tuple[PriorArm, ...]:
    """Every (shift, beta) arm of :data:`PRIOR`, in order (cached)."""
    s = PRIOR
    mdp = TokenMDP(s["V"], s["T"])
    fam = exact_match(mdp)
    jobs = [(k, b) for k in s["shifts"] for b in s["betas"]]
    out, done = [], {}
    for k, b in progress(jobs, total=len(jobs), desc="prior arms"):
        p = tempered_prior(mdp, prior_centre(k), b)
        if b == 0.0 and 0.0 in done:        # the uniform prior does not depend on the centre
            a = done[0.0]
            out.append(PriorArm(a.beta, int(k), a.H_prior, a.surprisal, a.J0, a.episodes, a.J, a.x))
            continue
        theta = prior_policy_logits(mdp, p)
        curves = [reinforce(fam, s["xi"], n_updates=s["n_updates"], batch_size=s["batch_size"],
                            lr=s["lr"], baseline="mean", seed=seed, init_logits=theta,
                            posterior=False, eval_every=s["eval_every"]) for seed in s["seeds"]]
        eps = np.array([episodes_to_solve(c, s["threshold"]) for c in curves], dtype=float)
        out.append(PriorArm(float(b), int(k), entropy_bits(p), surprisal_bits(p, s["xi"]),
                            float(p[s["xi"]]), eps, np.array([c.J for c in curves]),
                            curves[0].episodes.astype(float)))
        done.setdefault(float(b), out[-1])
    return tuple(out)


def prior_arm(beta: float, shift: int) -> PriorArm:
    """The arm of :func:`prior_arms` with this concentration and shift."""
    for a in prior_arms():
        if a.beta == float(beta) and a.shift == int(shift):
            return a
    raise ValueError(f"no arm with beta={beta!r}, shift={shift!r}; betas are {PRIOR['betas']}, "
                     f"shifts {PRIOR['shifts']}")


# ================================================================================= 3. forgetting
#: The forgetting runs: prompts used for fine-tuning (the rest are held out), arms (None is full
#: fine-tuning), seeds, episode budget; the step size of each arm is picked on seed 0 from the
#: §4.2.2 grid by the area under the training curve.
FORGET = dict(train_prompts=48, ranks=(None, 1, 4), seeds=(0, 1, 2), episodes=3200)


def kl_rows_bits(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """``D_KL(p_i ‖ q_i)`` in bits for every row ``i`` of two row-stochastic tables.

    Examples
    --------
    >>> kl_rows_bits(np.array([[0.5, 0.5]]), np.array([[0.25, 0.75]])).round(4).tolist()
    [0.2075]
    """
    return -row_entropy_bits(p) - (p * np.log2(np.maximum(q, 1e-300))).sum(axis=1)


@dataclass(frozen=True)
class ForgetArm:
    """One arm (full or a LoRA rank) of one task, at its chosen step size, over the seeds.

    ``train_score``: the task's score on the fine-tuning prompts (success rate, or share of the SFT
    KL removed); ``train_kl`` and ``heldout_kl``: mean ``D_KL(π₀ ‖ π)`` in bits on the fine-tuning
    and on the held-out prompts; ``heldout_base``: how much the fit to the pretraining
    distribution got worse on the held-out prompts, ``KL(base ‖ π) − KL(base ‖ π₀)`` in bits.
    """

    task: str
    rank: int | None
    lr: float
    train_score: np.ndarray
    train_kl: np.ndarray
    heldout_kl: np.ndarray
    heldout_base: np.ndarray

    @property
    def label(self) -> str:
        return "full" if self.rank is None else f"rank {self.rank}"


def _split():
    from infobandwidth.book.experiments.lora_miniature import world

    w = world()
    k = FORGET["train_prompts"]
    tr, ho = np.arange(k), np.arange(k, w.net.n_prompts)
    sub = PolicyNet(w.net.E[tr], w.net.W1, w.net.b1, w.net.W2, w.net.b2)
    return w, tr, ho, sub


def _measure(w, tr, ho, run):
    pi0 = policy_table(w.net)
    pi = policy_table(merged(w.net, delta=run.delta))
    base_gap = kl_rows_bits(w.base[ho], pi[ho]) - kl_rows_bits(w.base[ho], pi0[ho])
    return (float(run.score[-1]), float(kl_rows_bits(pi0[tr], pi[tr]).mean()),
            float(kl_rows_bits(pi0[ho], pi[ho]).mean()), float(base_gap.mean()))


@functools.lru_cache(maxsize=None)
def forgetting(task: str) -> tuple[ForgetArm, ...]:
    """The arms of :data:`FORGET` on ``task`` (``"rl"`` or ``"sft"``), cached.

    The RL task is §4.2.2's ``"rl-indep"`` (each prompt's correct token drawn on its own) and the
    SFT task its ``"sft"``: in neither does a held-out prompt share anything with the fine-tuning
    prompts, so every change on a held-out prompt is interference, not transfer.
    The network is fine-tuned on the first ``train_prompts`` prompts only (a copy of the pretrained
    network restricted to their embeddings: the weights and the frozen embeddings are shared, so
    its update applies unchanged to every prompt); forgetting is measured on the others.
    """
    from infobandwidth.book.experiments.lora_miniature import ARMS, SETTINGS

    if task not in ("rl", "sft"):
        raise ValueError(f"task must be 'rl' or 'sft', got {task!r}")
    w, tr, ho, sub = _split()
    s, f = SETTINGS, FORGET

    def run(rank, lr, seed):
        if task == "rl":
            return rl_finetune(sub, w.targets_indep[tr], rank=rank, lr=lr, episodes=f["episodes"],
                               batch=s["rl_batch"], group=s["group"], seed=seed,
                               eval_every=s["eval_every"])
        return sft_finetune(sub, w.sft_target[tr], rank=rank, lr=lr, episodes=f["episodes"],
                            batch=s["sft_batch"], seed=seed, eval_every=s["eval_every"])

    arms = []
    with one_blas_thread():
        jobs = [(r, lr) for r in f["ranks"] for lr in ARMS[r]]
        first = {job: run(job[0], job[1], f["seeds"][0])
                 for job in progress(jobs, total=len(jobs), desc=f"{task}: step sizes")}
        for rank in f["ranks"]:
            lr = max(ARMS[rank], key=lambda a: first[(rank, a)].auc)
            runs = [first[(rank, lr)]] + [run(rank, lr, sd) for sd in f["seeds"][1:]]
            m = np.array([_measure(w, tr, ho, r) for r in runs])
            arms.append(ForgetArm(task, rank, lr, *m.T))
    return tuple(arms)
