"""The training loop both learners share, the curve it records, and the ideal observer it tracks (§3).

Used in §3.1 (policy gradient learns from one scalar return per episode), §3.2 (actor-critic
learns from one TD error per token) and §4 (episodes-to-solve against information bounds).

Both learners are *tabular*: the policy is a softmax over a table of logits with one row of ``V``
entries per prefix (state), ``π_θ(a | s) ∝ exp θ[s, a]``, starting from the uniform policy
``θ = 0`` (or ``init_logits``). They sample a batch of episodes, update, and record a
:class:`TrainingCurve`: after every ``eval_every`` updates

* ``J``: the expected return of the current policy on the *true* ξ, computed **exactly**
  (:func:`~infobandwidth.model.mdp.expected_return` on the family's sparse reward, which equals the
  undiscounted dense return; for :class:`HiddenString` by a closed form on the prefix tree);
* the success rate (episodes whose return is optimal, ``R = J*``) and mean return of the batches
  since the previous row;
* the posterior entropies ``H(ξ | D)`` and ``H(π* | D)`` of an *ideal Bayesian observer* that saw
  exactly the learner's data: the same trajectories and the same signals (the return ``G`` for a
  sparse reward, the per-step rewards for a dense one). The learner's own updates are functions of
  these data, so its progress can be plotted against what the data could have taught.

REINFORCE (Williams 1992; §3.1), as implemented by :func:`reinforce`::

    θ[s, ·] = init_logits[s] (default 0) for every prefix s; baseline state b = 0
    repeat n_updates times:
        sample n episodes τ^i ~ π_θ, observe the rewards r^i_t (sparse: r_{T-1} = R_ξ(s_T), else 0)
        reward_to_go:  Ψ^i_t = γ^t (G^i_t - b(s^i_t)),   G^i_t = Σ_{k>=t} γ^{k-t} r^i_k
        otherwise:     Ψ^i_t = G^i - b(s^i_t),            G^i   = Σ_k γ^k r^i_k
        θ ← θ + (α / n) Σ_i Σ_t Ψ^i_t ∇_θ log π_θ(a^i_t | s^i_t)     # row s_t: onehot(a_t) - π(·|s_t)
        update the baseline on the batch

Baselines: ``"none"``; ``"mean"`` (an exponential running mean, rate ``baseline_rate``, of the
returns of earlier batches, one per step ``t`` with reward-to-go); ``"loo"`` (leave-one-out mean
of the other episodes of the batch, as in RLOO); ``"value"`` (a per-prefix table ``b(s)`` moved
``baseline_rate`` of the way to the batch mean of the returns observed from ``s``). All leave the
expected update unbiased. The estimator itself is :func:`policy_gradient`; its expectation is the
exact ``∇_θ J_γ`` (tested against finite differences).

TD actor-critic (Konda & Tsitsiklis 2000; Sutton & Barto 2018, §13.5; §3.2), :func:`actor_critic`::

    θ = init_logits (default 0); V(s) = 0 for every prefix; V(s_T) = 0
    repeat n_updates times:
        sample n episodes with π_θ                 # the critic is held fixed during the batch
        δ^i_t = r^i_t + γ V(s^i_{t+1}) - V(s^i_t)
        θ ← θ + (α_a / n) Σ_i Σ_t γ^t δ^i_t ∇_θ log π_θ(a^i_t | s^i_t)
        V(s) ← V(s) + α_c · mean{δ^i_t : s^i_t = s}    for every visited prefix s

The factor ``γ^t`` is Sutton & Barto's ``I``; with the exact critic ``V^π`` the expected actor
step is exactly ``∇_θ J_γ`` (:func:`actor_critic_gradient`, tested). The critic step is batched
TD(0) averaged per visited state, so ``α_c = 1`` sets ``V(s)`` to the mean TD target of its visits
and ``α_c <= 1`` never overshoots. ``critic="exact"`` replaces the learned critic by the exact
``V^π_ξ`` of the current policy and ``critic="posterior"`` by ``E_{ξ~p(ξ|D)}[V^π_ξ]`` (the
idealised critics of :mod:`infobandwidth.model.values`), recomputed before every batch.

The prefix table: dense or lazy
-------------------------------
Prefixes are identified by their breadth-first number (the numbering of
:class:`~infobandwidth.model.mdp.TokenMDP`; an int64 for every ``V**T < 2**62``). Storage:

* ``table="dense"``: one row per prefix, ``(n_prefixes, V)``, row = prefix number. Needs
  ``n_prefixes·V <=`` :data:`MAX_TABLE_ENTRIES`.
* ``table="lazy"``: a **trie** grown on first visit (chosen over a hash of prefix numbers
  because the sampler walks the tree anyway). A child array ``children[row, token]`` maps a prefix
  and a token to the next row, so the lookup is one vectorised gather per step; a prefix not
  visited yet maps to a shared all-zero "fresh" row (its children are fresh too), and after each
  batch the newly visited prefixes get their own rows in one vectorised pass (``np.unique`` of
  their prefix numbers). ``ids[row]`` keeps the prefix number. Only visited prefixes cost memory
  (``V=4, T=16`` has ``1.4·10^9`` prefixes; a run of 10^5 episodes visits at most
  ``1.6·10^6``). Unvisited prefixes have logits 0 (uniform) and value 0.
* ``table="auto"`` (default): dense when it fits, else lazy. Both give identical runs.

Logits are shifted by their row maximum whenever a visited row's maximum leaves ``[-30, 30]``
(the policy is unchanged), so ``exp`` never overflows.

Speed: the sampler and the updates are vectorised over the batch (a loop over the ``T`` steps
only), with elementwise numpy (no BLAS products, which stall on shared cores). Exact ``J`` costs
``O(T·V**T)`` per evaluated row and the observer ``O(|Ξ|·n)`` per batch: both are skipped or
cheap when ``V**T`` is large (see ``posterior`` and ``eval_every``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from infobandwidth.base.numerics import entropy_bits
from infobandwidth.base.validate import (
    as_array,
    check_bool,
    check_choice,
    check_gamma,
    check_int,
    check_rate,
    rng_from_seed,
)
from infobandwidth.learning.tabular import (
    MAX_TABLE_ENTRIES,
    HiddenString,
    _Batch,
    _offsets,
    _rollout,
    _softmax,
    _Table,
)
from infobandwidth.model.mdp import (
    TokenMDP,
    expected_return,
    softmax_policy,
)
from infobandwidth.model.optimal import optimal_policies
from infobandwidth.model.rewards import RewardFamily
from infobandwidth.model.values import (
    _reward_matrix,
)
from infobandwidth.signals.observer import condition
from infobandwidth.signals.signals import (
    as_signal,
)

__all__ = [
    "episodes_to_solve",
    "MAX_OBSERVER_CELLS",
    "BASELINES",
    "CRITICS",
    "TrainingCurve",
]

#: Largest (ξ × episodes [× T for dense signals]) work per batch for which ``posterior="auto"``
#: tracks the ideal observer of a reward family.
MAX_OBSERVER_CELLS = 4_000_000
#: Baselines of :func:`reinforce`.
BASELINES = ("none", "mean", "loo", "value")
#: Critics of :func:`actor_critic`.
CRITICS = ("learned", "exact", "posterior")
_SUCCESS_TOL = 1e-9


def _returns_to_go(r: np.ndarray, gamma: float) -> np.ndarray:
    """``G_t = Σ_{k>=t} γ^{k-t} r_k`` along axis 0 of ``r`` (T, n)."""
    if gamma == 1.0:
        return np.cumsum(r[::-1], axis=0)[::-1]
    out = np.empty_like(r)
    acc = np.zeros(r.shape[1:])
    for t in range(r.shape[0] - 1, -1, -1):
        acc = r[t] + gamma * acc
        out[t] = acc
    return out


def _targets(r: np.ndarray, gamma: float, reward_to_go: bool) -> np.ndarray:
    """What the baseline predicts at step t: ``G_t`` (reward-to-go) or the whole return ``G``."""
    if reward_to_go:
        return _returns_to_go(r, gamma)
    gp = gamma ** np.arange(r.shape[0], dtype=float)
    G = (gp[:, None] * r).sum(axis=0)
    return np.broadcast_to(G, r.shape)


def _psi(target: np.ndarray, b: Any, gamma: float, reward_to_go: bool) -> np.ndarray:
    if reward_to_go:
        gp = gamma ** np.arange(target.shape[0], dtype=float)
        return gp[:, None] * (target - b)
    return target - b


# ============================================================================ tasks and observers
class _Task:
    """What a learner plays against: rewards of the true ξ, exact J, the ideal observer."""

    def __init__(self, family: Any, xi: Any, dense: bool) -> None:
        self.dense = dense
        if isinstance(family, HiddenString):
            self.hs, self.family, self.mdp = family, None, None
            self.V, self.T, self.end_token = family.V, family.T, None
            self.xi = family._xi(xi)
            self.y = family.target(self.xi)
            self.J_star = 1.0
            self.n_xi = family.n_xi
        elif isinstance(family, RewardFamily):
            self.hs, self.family, self.mdp = None, family, family.mdp
            mdp = family.mdp
            self.V, self.T, self.end_token = mdp.V, mdp.T, mdp.end_token
            self.xi = family._xi(xi)
            self.R = family.sparse_rewards(self.xi)
            self.J_star = float(self.R[mdp.valid].max())
            self.n_xi = family.n_xi
            self.Rd = None
            if dense and mdp.n_trajectories * mdp.T <= (1 << 23):
                self.Rd = family.dense_rewards(self.xi)
        else:
            raise ValueError(
                f"family must be a RewardFamily (e.g. exact_match(TokenMDP(2, 4))) or a "
                f"HiddenString, got {type(family).__name__}"
            )
        self.n_prefixes = int(_offsets(self.V, self.T)[-1])

    def step_rewards(self, b: _Batch) -> np.ndarray:
        """Per-step rewards of the batch, shape (T, n)."""
        if self.hs is not None:
            return self.hs._step_rewards(b.toks, self.y, self.dense)
        if self.dense:
            if self.Rd is not None:
                return self.Rd[b.k].T
            return self.family._dense(np.array([self.xi]), b.k)[0].T
        out = np.zeros(b.toks.shape)
        out[-1] = self.R[b.k]
        return out

    def reward_matrix(self) -> np.ndarray:
        """Per-step rewards of every trajectory under the true ξ, (V**T, T) (families only)."""
        r = self.family.dense_rewards(self.xi) if self.dense else self.R
        return _reward_matrix(self.mdp, r, check_causal=False)

    def task_return(self, b: _Batch, r: np.ndarray) -> np.ndarray:
        """The undiscounted task return ``R_ξ(s_T)`` of each episode."""
        if self.hs is not None:
            return r.sum(axis=0) if self.dense else r[-1]
        return self.R[b.k]

    def exact_J(self, tab: _Table) -> float:
        if self.hs is not None:
            if self.hs.reward == "exact":
                P = _softmax(tab.path_logits(self.y))
                return float(np.prod(P[np.arange(self.T), self.y]))
            return float(tab.depth_marginals(self.y).mean())
        pol = softmax_policy(self.mdp, tab.full_logits())
        return expected_return(pol, self.R)


class _FamilyObserver:
    """The ideal observer ``p(ξ | D)`` for a reward family, updated on batches of episodes."""

    def __init__(self, task: _Task) -> None:
        self.family, self.xi = task.family, task.xi
        self.bound = as_signal("dense" if task.dense else "return").bind(task.family)
        self.post = task.family.prior.copy()
        self.pending: list[np.ndarray] = []
        self._opt = None

    def add(self, b: _Batch, r: np.ndarray) -> None:
        self.pending.append(b.k)

    def flush(self) -> None:
        if not self.pending:
            return
        k = np.unique(np.concatenate(self.pending))
        self.pending = []
        sup = np.flatnonzero(self.post > 0)
        post = np.zeros_like(self.post)
        post[sup] = condition(self.post[sup], self.bound.codes(sup, k),
                              self.bound.codes(np.array([self.xi]), k)[0])
        self.post = post

    def entropies(self) -> tuple[float, float]:
        self.flush()
        if self._opt is None:
            self._opt = optimal_policies(self.family)
        p_star = np.bincount(self._opt.classes, weights=self.post, minlength=self._opt.n_classes)
        return entropy_bits(self.post), entropy_bits(p_star)


class _HiddenStringObserver:
    """Closed-form ideal observer for :class:`HiddenString` (uniform prior over V**T strings)."""

    def __init__(self, task: _Task) -> None:
        hs = task.hs
        self.V, self.T, self.kind, self.dense = hs.V, hs.T, hs.reward, task.dense
        self.success = False
        self.failed: set[int] = set()
        self.m_star = 0
        self.excluded = np.zeros(self.V, dtype=bool)  # exact/dense: wrong tokens at depth m_star
        self.known = np.zeros(self.T, dtype=bool)  # count/dense: position solved
        self.wrong = np.zeros((self.T, self.V), dtype=bool)  # count/dense: tokens ruled out

    def add(self, b: _Batch, r: np.ndarray) -> None:
        toks, T = b.toks, self.T
        if self.kind == "exact" and not self.dense:
            hit = r[-1] > 0.5
            if hit.any():
                self.success = True
            if not self.success:
                self.failed.update(b.k[~hit].tolist())
        elif self.kind == "exact":
            # matched prefix length: Φ(s_{t+1}) = (t+1)/T while matched, then 0
            m = (np.cumsum(r, axis=0) > 0.5 / T).sum(axis=0)
            top = int(m.max())
            if top > self.m_star:
                self.m_star = top
                self.excluded[:] = False
            if self.m_star < T:
                self.excluded[toks[self.m_star, m == self.m_star]] = True
        else:
            correct = r > 0.5 / T  # r_t = 1/T for a correct token, else 0
            self.known |= correct.any(axis=1)
            t_idx, i_idx = np.nonzero(~correct)
            self.wrong[t_idx, toks[t_idx, i_idx]] = True

    def entropies(self) -> tuple[float, float]:
        V, T = self.V, self.T
        if self.kind == "exact" and not self.dense:
            h = 0.0 if self.success else math.log2(V**T - len(self.failed))
        elif self.kind == "exact":
            if self.m_star == T:
                h = 0.0
            else:
                h = math.log2(V - int(self.excluded.sum())) + (T - self.m_star - 1) * math.log2(V)
        else:
            cand = np.where(self.known, 1, V - self.wrong.sum(axis=1))
            h = float(np.log2(cand).sum())
        return h + 0.0, h + 0.0  # π* = ξ: every hidden string is its own unique optimum


# ============================================================================ the result
@dataclass(frozen=True)
class TrainingCurve:
    """The learning curve of one run of :func:`reinforce` or :func:`actor_critic` (§3.1, §3.2).

    Row 0 is the initial policy (0 episodes); then one row every ``eval_every`` updates and one
    after the last update.

    Attributes
    ----------
    algorithm : str
        ``"reinforce"`` or ``"actor_critic"``.
    updates, episodes : numpy.ndarray of int, shape (m,)
        Updates done and episodes seen at each row.
    J : numpy.ndarray, shape (m,)
        Exact expected task return ``E_π[R_ξ(s_T)]`` of the current policy on the true ξ.
    J_star : float
        The optimal return ``max_τ R_ξ(τ)``.
    success_rate : numpy.ndarray, shape (m,)
        Share of the episodes since the previous row whose return is optimal (NaN at row 0).
    mean_return : numpy.ndarray, shape (m,)
        Mean discounted return ``Σ_t γ^t r_t`` the learner saw since the previous row (NaN at row 0).
    entropy_xi, entropy_pi_star : numpy.ndarray or None
        ``H(ξ | D)`` and ``H(π* | D)`` in bits of the ideal observer given the learner's episodes
        and signals so far; None when not tracked (see ``note``).
    trajectories : numpy.ndarray of int64, shape (episodes[-1],)
        Every episode's trajectory index, in order.
    logits : numpy.ndarray or None
        Final logits ``(n_prefixes, V)`` (None when the prefix table is too large to expand).
    critic : numpy.ndarray or None
        Final learned critic (actor-critic) or value baseline (REINFORCE ``baseline="value"``),
        shape ``(n_prefixes,)``; None otherwise or when too large.
    settings : dict
        The arguments of the run (with the true ``xi``).
    note : str
        What was skipped and why (empty if nothing).

    Examples
    --------
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> from infobandwidth.learning.reinforce import reinforce
    >>> c = reinforce(exact_match(TokenMDP(2, 2)), xi=3, n_updates=4, batch_size=2, seed=0)
    >>> c.episodes.tolist(), float(c.J[0])
    ([0, 2, 4, 6, 8], 0.25)
    """

    algorithm: str
    updates: np.ndarray
    episodes: np.ndarray
    J: np.ndarray
    J_star: float
    success_rate: np.ndarray
    mean_return: np.ndarray
    entropy_xi: np.ndarray | None
    entropy_pi_star: np.ndarray | None
    trajectories: np.ndarray = field(repr=False)
    logits: np.ndarray | None = field(repr=False)
    critic: np.ndarray | None = field(repr=False)
    settings: dict = field(repr=False)
    note: str = ""

    def episodes_to_solve(self, threshold: float = 0.9) -> float:
        """Shortcut for :func:`episodes_to_solve` ``(self, threshold)``."""
        return episodes_to_solve(self, threshold)


# ============================================================================ the training loop
class _Run:
    def __init__(self, algorithm, family, xi, *, n_updates, batch_size, dense, gamma, seed,
                 eval_every, posterior, table, init_logits, init_values, settings):
        self.algorithm = algorithm
        self.n_updates = check_int(n_updates, "n_updates", 1, "run at least one update")
        self.n = check_int(batch_size, "batch_size", 1, "use at least one episode per update")
        self.dense = check_bool(dense, "dense")
        self.gamma = check_gamma(gamma)
        self.eval_every = check_int(eval_every, "eval_every", 1,
                                     "evaluate every k >= 1 updates (use n_updates for start/end only)")
        self.rng = rng_from_seed(seed)
        check_choice(posterior, "posterior", (True, False, "auto"))
        check_choice(table, "table", ("auto", "dense", "lazy"))
        task = self.task = _Task(family, xi, self.dense)
        V, T = task.V, task.T
        entries = task.n_prefixes * V
        init_logits = self._check_init(init_logits, "init_logits", (task.n_prefixes, V))
        init_values = self._check_init(init_values, "init_values", (task.n_prefixes,))
        if table == "auto":
            lazy = entries > MAX_TABLE_ENTRIES
        else:
            lazy = table == "lazy"
        if not lazy and entries > MAX_TABLE_ENTRIES:
            raise ValueError(
                f"a dense prefix table needs n_prefixes·V = {entries} entries, above "
                f"MAX_TABLE_ENTRIES = {MAX_TABLE_ENTRIES}; use table='lazy' (rows allocated on "
                "first visit) or a smaller V/T"
            )
        if lazy and (init_logits is not None or init_values is not None):
            raise ValueError("init_logits/init_values need table='dense' (the lazy trie starts at 0)")
        self.tab = _Table(V, T, lazy, init_logits, init_values)
        self.notes: list[str] = []
        self.observer = self._make_observer(posterior)
        self.settings = dict(settings, xi=task.xi, table="lazy" if lazy else "dense")

    def _check_init(self, arr, name, shape):
        if arr is None:
            return None
        if self.task.mdp is None:
            raise ValueError(f"{name} needs an enumerable MDP (a RewardFamily), not a HiddenString")
        a = as_array(arr, name=name, ndim=len(shape))
        if a.shape != shape:
            raise ValueError(f"{name} has shape {a.shape}, expected {shape} (one entry per prefix)")
        if not np.isfinite(a).all():
            raise ValueError(f"{name} contains NaN or inf; use finite numbers")
        return a

    def _make_observer(self, posterior):
        task = self.task
        if posterior is False:
            return None
        if task.hs is not None:
            if task.hs.reward == "count" and not task.dense:
                self.notes.append(
                    "ideal observer not tracked: the sparse partial-credit return of a HiddenString "
                    "has no closed-form posterior; use match_count(TokenMDP(V, T)) on a small MDP"
                )
                return None
            return _HiddenStringObserver(task)
        cells = task.n_xi * self.n * (task.T if task.dense else 1)
        if posterior == "auto" and cells > MAX_OBSERVER_CELLS:
            self.notes.append(
                f"ideal observer not tracked: |Ξ|·batch{'·T' if task.dense else ''} = {cells} "
                f"> MAX_OBSERVER_CELLS = {MAX_OBSERVER_CELLS} per update; pass posterior=True to "
                "force it (slow) or use a smaller family"
            )
            return None
        return _FamilyObserver(task)

    def update(self, b: _Batch, r: np.ndarray) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def run(self) -> TrainingCurve:
        task, tab, n = self.task, self.tab, self.n
        gp = self.gamma ** np.arange(task.T, dtype=float)
        rows_u, rows_J, rows_s, rows_m, rows_hx, rows_hp = [0], [task.exact_J(tab)], [np.nan], [np.nan], [], []
        if self.observer is not None:
            hx, hp = self.observer.entropies()
            rows_hx.append(hx)
            rows_hp.append(hp)
        trajs = []
        succ = ret = 0.0
        count = 0
        for u in range(1, self.n_updates + 1):
            b = _rollout(tab, n, self.rng, task.end_token)
            r = task.step_rewards(b)
            self.update(b, r)  # before the observer sees the batch (critic="posterior")
            if self.observer is not None:
                self.observer.add(b, r)
            trajs.append(b.k)
            succ += float((task.task_return(b, r) >= task.J_star - _SUCCESS_TOL).sum())
            ret += float((gp[:, None] * r).sum())
            count += n
            if u % self.eval_every == 0 or u == self.n_updates:
                rows_u.append(u)
                rows_J.append(task.exact_J(tab))
                rows_s.append(succ / count)
                rows_m.append(ret / count)
                succ = ret = 0.0
                count = 0
                if self.observer is not None:
                    hx, hp = self.observer.entropies()
                    rows_hx.append(hx)
                    rows_hp.append(hp)
        expandable = tab.n_prefixes * task.V <= MAX_TABLE_ENTRIES
        if not expandable:
            self.notes.append("final logits/critic not returned: the prefix table is too large to expand")
        updates = np.array(rows_u, dtype=np.int64)
        return TrainingCurve(
            algorithm=self.algorithm,
            updates=updates,
            episodes=updates * n,
            J=np.array(rows_J),
            J_star=task.J_star,
            success_rate=np.array(rows_s),
            mean_return=np.array(rows_m),
            entropy_xi=np.array(rows_hx) if self.observer is not None else None,
            entropy_pi_star=np.array(rows_hp) if self.observer is not None else None,
            trajectories=np.concatenate(trajs),
            logits=tab.full_logits().copy() if expandable else None,
            critic=tab.full_values().copy() if expandable and self.has_critic else None,
            settings=self.settings,
            note="; ".join(self.notes),
        )

    has_critic = False


# ============================================================================ gradient estimators
def _batch_of(mdp: TokenMDP, logits: Any, trajectories: Any) -> _Batch:
    if not isinstance(mdp, TokenMDP):
        raise ValueError(f"mdp must be a TokenMDP, got {type(mdp).__name__}")
    table = softmax_policy(mdp, logits).table  # validates; forced rows after an end token
    tr = np.asarray(trajectories)
    if tr.ndim != 1 or tr.size == 0 or tr.dtype.kind not in "iu":
        raise ValueError(
            f"trajectories must be a non-empty 1-D array of integer trajectory indices, got shape "
            f"{tr.shape} and dtype {tr.dtype}"
        )
    tr = tr.astype(np.int64)
    if tr.min() < 0 or tr.max() >= mdp.n_trajectories:
        raise ValueError(f"trajectory indices must lie in 0..{mdp.n_trajectories - 1}")
    rows = mdp.prefix_ids(tr).T
    toks = mdp.decode(tr).T.astype(np.int64)
    return _Batch(rows, toks, table[rows], tr)


def _check_curve(curve: Any) -> TrainingCurve:
    if not isinstance(curve, TrainingCurve):
        raise ValueError(f"curve must be a TrainingCurve (from reinforce/actor_critic), got {type(curve).__name__}")
    return curve


def episodes_to_solve(curve: TrainingCurve, threshold: float = 0.9) -> float:
    """The first episode count at which the exact ``J`` reaches ``threshold · J*`` (§3.1, §4).

    Precisely: the first row with ``J >= J* - (1 - threshold)·|J*|`` (``= threshold·J*`` for
    ``J* >= 0``). The answer is resolved to the curve's rows (``eval_every``).

    Parameters
    ----------
    curve : TrainingCurve
    threshold : float
        In ``(0, 1]``.

    Returns
    -------
    int or float
        The number of episodes seen (an int), or ``math.inf`` if never reached.

    Raises
    ------
    ValueError
        A threshold outside ``(0, 1]`` or a curve that is not a :class:`TrainingCurve`.

    Examples
    --------
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> from infobandwidth.model.rewards import exact_match
    >>> from infobandwidth.learning.reinforce import reinforce
    >>> c = reinforce(exact_match(TokenMDP(2, 2)), xi=0, n_updates=50, batch_size=4, lr=2.0, seed=0)
    >>> n = episodes_to_solve(c, 0.9)
    >>> 0 < n <= 200, episodes_to_solve(c, 1.0)
    (True, inf)
    """
    curve = _check_curve(curve)
    thr = check_rate(threshold, "threshold", at_most_one=True, hint="a share of J*, e.g. 0.9")
    goal = curve.J_star - (1.0 - thr) * abs(curve.J_star)
    hit = np.flatnonzero(curve.J >= goal - 1e-12)
    return int(curve.episodes[hit[0]]) if hit.size else math.inf
