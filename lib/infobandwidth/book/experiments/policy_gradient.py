"""The experiments of §3.1 (policy gradient, pages ``book/part3/policy-gradient*.md``): its
instances, runs and tables.

:func:`chain_grid` tabulates the chain of :func:`~infobandwidth.signals.returns.information_chain`
over a grid (an HTML table in the notebook); :func:`solve_table` runs REINFORCE over seeds on
several tasks and sets the information bound ``H(π*) / log2 B`` against the episodes after which
the data identify π* (the event the bound is about) and against the episodes REINFORCE needs to
reach ``0.9·J*`` (a different event); :func:`chapter_runs` are the
chapter's runs with :data:`PG_SETTINGS` on :data:`PG_TASKS` (cached: the chapter, its figures and
its claim checks share them); :func:`identify_row` reruns one of those tasks with another step
size (the §3.1.3 demo); :func:`sym_one_token_utility` is the family small enough for sympy;
:func:`one_step` is one REINFORCE step from a given episode and return (the §3.1 demo).
"""
from __future__ import annotations

import functools
import html
import itertools
import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np

from infobandwidth.base.numerics import SLACK_BITS, ZERO_BITS
from infobandwidth.base.validate import check_int
from infobandwidth.information.symbolic import SymJoint
from infobandwidth.learning.reinforce import policy_gradient
from infobandwidth.model.mdp import (
    TokenMDP,
    behaviour_policy,
    softmax_policy,
)
from infobandwidth.model.optimal import optimal_policies
from infobandwidth.model.rewards import (
    RewardFamily,
    family_label,
    make_family,
)
from infobandwidth.signals.observer import EpisodeInformation, episode_information
from infobandwidth.signals.returns import information_chain

#: The families of the §3.1 grids, by their :func:`~infobandwidth.model.rewards.make_family` names.
CHAIN_FAMILIES = ("exact_match", "match_count", "token_utility")

__all__ = [
    "CHAIN_FAMILIES",
    "ChainTable",
    "chain_grid",
    "sym_one_token_utility",
    "SolveRow",
    "SolveTable",
    "solve_table",
    "PG_SETTINGS",
    "PG_TASKS",
    "chapter_runs",
    "run_information",
    "IDENTIFY_LRS",
    "identify_row",
    "STEP_START_A",
    "STEP_STRINGS",
    "OneStep",
    "one_step",
]


_COLUMNS = (
    ("I(G;π*)", "I_G_pi"), ("I(G;ξ)", "I_G_xi"), ("H(G)", "H_G"), ("log₂B", "log2_B"),
    ("I(G;π*|τ)", "I_G_pi_given_tau"), ("I(G;ξ|τ)", "I_G_xi_given_tau"), ("H(G|τ)", "H_G_given_tau"),
)


@dataclass(frozen=True)
class ChainTable:
    """Several :class:`InformationChain` rows; displays as an HTML table in a notebook.

    Examples
    --------
    >>> t = chain_grid(families=["exact_match"], Vs=[2], Ts=[1], Bs=[2], policies=[None])
    >>> len(t.rows), t.all_hold()
    (1, True)
    """

    rows: tuple

    def all_hold(self, tol: float = SLACK_BITS) -> bool:
        """Whether every link holds in every row."""
        return all(r.holds(tol) for r in self.rows)

    def min_slacks(self) -> dict[str, float]:
        """The smallest slack of each link over the rows."""
        keys = self.rows[0].slacks().keys()
        return {k: min(r.slacks()[k] for r in self.rows) for k in keys}

    def _repr_html_(self) -> str:
        # columns that are the same in every row go into a caption line instead
        keys = ("family", "V", "T", "B", "policy")
        constant = [k for k in keys if len({getattr(r, k) for r in self.rows}) == 1 and len(self.rows) > 1]
        shown = [k for k in keys if k not in constant]
        head = "".join(f"<th>{html.escape(h)}</th>" for h in shown + [c for c, _ in _COLUMNS])
        body = []
        for r in self.rows:
            cells = [html.escape(str(getattr(r, k))) for k in shown]
            cells += [f"{getattr(r, a):.3f}" for _, a in _COLUMNS]
            style = "" if r.holds() else ' style="background:#fadbd8"'
            body.append(f"<tr{style}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        caption = ""
        if constant:
            caption = ("<caption>" + "; ".join(f"{k}: {html.escape(str(getattr(self.rows[0], k)))}"
                                               for k in constant) + " in every row</caption>")
        return (_TABLE_STYLE + '<table class="ib-chain-table">' + caption + "<thead><tr>" + head
                + "</tr></thead><tbody>" + "".join(body) + "</tbody></table>")


#: Compact, right-aligned numeric tables (scoped to the two table classes of this module).
_TABLE_STYLE = (
    "<style>.ib-chain-table,.ib-solve-table{font-size:.82em;border-collapse:collapse;margin:.5em 0}"
    ".ib-chain-table th,.ib-chain-table td,.ib-solve-table th,.ib-solve-table td"
    "{padding:.15em .45em;text-align:right;border-bottom:1px solid #ddd;vertical-align:bottom}"
    ".ib-chain-table td,.ib-solve-table td{white-space:nowrap}"
    ".ib-chain-table td:first-child,.ib-solve-table td:first-child,.ib-chain-table th:first-child,"
    ".ib-solve-table th:first-child{text-align:left}"
    ".ib-chain-table caption,.ib-solve-table caption{caption-side:bottom;font-size:.9em;"
    "text-align:left;padding-top:.3em}</style>"
)


def chain_grid(families: Iterable[str] = CHAIN_FAMILIES, Vs: Iterable[int] = (2,),
               Ts: Iterable[int] = (2, 4), Bs: Iterable[int] = (2, 4),
               policies: Iterable[float | None] = (None, 0.8)) -> ChainTable:
    """The chain of :func:`information_chain` over a grid of instances (§3.1).

    Parameters
    ----------
    families : iterable of str
        Names of :data:`CHAIN_FAMILIES`.
    Vs, Ts, Bs : iterable of int
    policies : iterable of (float or None)
        ``p_a`` of :func:`behaviour_policy` (None: uniform).

    Returns
    -------
    ChainTable
        One row per combination, in the order family, V, T, B, policy.

    Examples
    --------
    >>> t = chain_grid(families=["match_count"], Ts=[2], Bs=[2, 3], policies=[None])
    >>> [round(r.H_G, 3) for r in t.rows]          # h(1/4), then 1/4, 1/2, 1/4
    [0.811, 1.5]
    """
    rows = []
    for name, V, T in itertools.product(list(families), list(Vs), list(Ts)):
        fam = make_family(name, TokenMDP(V, T))
        for B, p_a in itertools.product(list(Bs), list(policies)):
            rows.append(information_chain(fam, B, behaviour_policy(fam.mdp, p_a), label=family_label(name)))
    if not rows:
        raise ValueError("the grid is empty; give at least one value of each parameter")
    return ChainTable(tuple(rows))


def sym_one_token_utility(q: Any = "q", pi_b: Any = "pi_b") -> SymJoint:
    """The §3.1 chain on a family small enough for sympy: one token, two answers ``a`` and ``b``.

    ξ = ``(u_a, u_b)``, a 0/1 utility per answer, each 1 with probability ``q`` independently;
    the policy answers ``b`` with probability ``π(b) = pi_b``; the return is ``G = u_τ``
    (``B = 2``); the optimal policy π* answers ``b`` only when ``u_b > u_a`` (ties go to ``a``, the
    smaller token). This is :func:`~infobandwidth.model.rewards.token_utility` on
    ``TokenMDP(2, 1)`` with ``value_probs=[1 - q, q]`` and the policy ``[[1 - pi_b, pi_b]]``.

    Parameters
    ----------
    q, pi_b : str or sympy Symbol
        The prior's chance that an answer has utility 1, and the policy's probability of ``b``
        (strings become positive symbols).

    Returns
    -------
    SymJoint
        Variables ``"xi"`` (the pair ``(u_a, u_b)``), ``"tau"`` (0 = a, 1 = b), ``"G"``,
        ``"pi_star"`` (0 = a, 1 = b).

    Examples
    --------
    >>> import sympy as sp
    >>> joint = sym_one_token_utility()
    >>> q = sp.Symbol("q", positive=True)
    >>> sp.simplify(joint.marginal("G")[(1,)] - q)
    0
    """
    import sympy as sp

    qq = sp.Symbol(q, positive=True) if isinstance(q, str) else sp.sympify(q)
    pb = sp.Symbol(pi_b, positive=True) if isinstance(pi_b, str) else sp.sympify(pi_b)
    qbar = sp.Dummy("qbar", positive=True)
    pa = sp.Dummy("pi_a", positive=True)
    outcomes = []
    for ua, ub in itertools.product((0, 1), repeat=2):
        p_xi = (qq if ua else qbar) * (qq if ub else qbar)
        pi_star = 1 if ub > ua else 0
        for tau, p_tau in ((0, pa), (1, pb)):
            g = ua if tau == 0 else ub
            outcomes.append((p_xi * p_tau, {"xi": (ua, ub), "tau": tau, "G": g, "pi_star": pi_star}))
    return SymJoint(outcomes, complements={qbar: 1 - qq, pa: 1 - pb})


# ============================================================================ episodes to solve
@dataclass(frozen=True)
class SolveRow:
    """One task of :func:`solve_table`: the information bound against REINFORCE and the data.

    Attributes
    ----------
    label : str
    H_pi : float
        ``H(π*)`` in bits under the prior.
    levels : int
        Number of return values ``B``.
    bound : float
        ``H(π*) / log2 B``: a lower bound on the *expected* number of episodes after which the
        data identify π* (each episode tells at most ``log2 B`` bits about π*).
    data_median, data_mean : float
        Median and mean number of episodes after which the learner's own data identified π* (the
        ideal observer's ``H(π* | D) = 0``), resolved to batches; the mean is what the bound
        bounds (``inf`` if a run never identified π*).
    reinforce_median, reinforce_q25, reinforce_q75 : float
        Episodes REINFORCE needed to reach ``threshold · J*`` (median and quartiles).
    solved : int
        Runs that reached the threshold.
    runs : int
    summary : SeedSummary
        The runs themselves.
    """

    label: str
    H_pi: float
    levels: int
    bound: float
    data_median: float
    data_mean: float
    reinforce_median: float
    reinforce_q25: float
    reinforce_q75: float
    solved: int
    runs: int
    summary: Any = field(repr=False)


@dataclass(frozen=True)
class SolveTable:
    """Rows of :func:`solve_table`; displays as an HTML table in a notebook."""

    rows: tuple

    def _repr_html_(self) -> str:
        heads = ("task", "H(π*) [bits]", "B", "bound H(π*)/log₂B", "data identify π* (mean)",
                 "(median)", "REINFORCE reaches 0.9·J* (median)", "quartiles", "solved")
        body = []
        for r in self.rows:
            cells = [html.escape(r.label), f"{r.H_pi:.3f}", str(r.levels), f"{r.bound:.2f}",
                     f"{r.data_mean:.1f}", f"{r.data_median:g}", f"{r.reinforce_median:g}",
                     f"{r.reinforce_q25:g}–{r.reinforce_q75:g}", f"{r.solved}/{r.runs}"]
            body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        return (_TABLE_STYLE + '<table class="ib-solve-table"><thead><tr>'
                + "".join(f"<th>{html.escape(h)}</th>" for h in heads)
                + "</tr></thead><tbody>" + "".join(body) + "</tbody></table>")


def _median(x: np.ndarray) -> float:
    return float(np.quantile(np.asarray(x, dtype=float), 0.5, method="inverted_cdf"))


def solve_table(tasks: Sequence[tuple[str, RewardFamily]], seeds: int | Iterable[int] = 8, *,
                threshold: float = 0.9, **kwargs: Any) -> SolveTable:
    """REINFORCE on several tasks: the bound ``H(π*)/log2 B``, the episodes after which the data
    identify π*, and the episodes REINFORCE needs to reach ``threshold · J*`` (§3.1, §4.3).

    Each task runs :func:`~infobandwidth.learning.curves.run_seeds` with ``xi="prior"`` (every seed draws
    its own hidden ξ) and the ideal observer on.

    Parameters
    ----------
    tasks : sequence of (label, RewardFamily)
    seeds : int or iterable of int
    threshold : float
        Share of ``J*`` that counts as solved.
    **kwargs
        Arguments of :func:`~infobandwidth.learning.reinforce.reinforce` (``n_updates``, ``batch_size``,
        ``lr``, ``baseline``, ...).

    Returns
    -------
    SolveTable

    Raises
    ------
    ValueError
        No tasks, a task that is not ``(label, RewardFamily)``, or any error of ``run_seeds``.

    Examples
    --------
    >>> t = solve_table([("2-bit string", make_family("exact_match", TokenMDP(2, 2)))], seeds=2,
    ...                 n_updates=30, batch_size=4, lr=2.0)
    >>> r = t.rows[0]
    >>> r.bound, r.solved, bool(r.data_mean >= r.data_median >= 1)
    (2.0, 2, True)
    """
    from infobandwidth.learning.curves import run_seeds

    tasks = list(tasks)
    if not tasks:
        raise ValueError("give at least one (label, family) task")
    rows = []
    for task in tasks:
        if not (isinstance(task, tuple) and len(task) == 2 and isinstance(task[1], RewardFamily)):
            raise ValueError(f"each task must be a (label, RewardFamily) pair, got {task!r}")
        label, fam = task
        s = run_seeds("reinforce", fam, "prior", seeds, threshold=threshold, posterior=True, **kwargs)
        opt = optimal_policies(fam)
        H_pi = opt.entropy_pi_star()
        K = len(fam.return_levels())
        known = []
        for c in s.runs:
            hit = np.flatnonzero(c.entropy_pi_star <= ZERO_BITS)
            known.append(float(c.episodes[hit[0]]) if hit.size else math.inf)
        lo, hi = s.quartiles
        rows.append(SolveRow(
            label=str(label), H_pi=H_pi, levels=K, bound=H_pi / math.log2(K) if K > 1 else math.inf,
            data_median=_median(np.array(known)), data_mean=float(np.mean(known)),
            reinforce_median=s.median_episodes,
            reinforce_q25=lo, reinforce_q75=hi, solved=int(np.isfinite(s.episodes_to_solve).sum()),
            runs=len(s.runs), summary=s,
        ))
    return SolveTable(tuple(rows))


#: REINFORCE settings of the §3.1 runs: 4 episodes per update, step 2, leave-one-out baseline.
PG_SETTINGS = {"n_updates": 100, "batch_size": 4, "lr": 2.0, "baseline": "loo"}
#: The §3.1 tasks: (label, family name, V, T).
PG_TASKS = (
    ("exact match, V=3, T=3", "exact_match", 3, 3),
    ("exact match, V=2, T=4", "exact_match", 2, 4),
    ("match count, V=3, T=3", "match_count", 3, 3),
    ("token utility, V=2, T=3", "token_utility", 2, 3),
)


def chapter_runs(seeds: int = 6) -> SolveTable:
    """:func:`solve_table` on :data:`PG_TASKS` with :data:`PG_SETTINGS` (cached: the chapter, its
    figures and the claim check share one set of runs).

    Parameters
    ----------
    seeds : int
        Seeds ``0 .. seeds-1``; each draws its own hidden ξ from the prior.

    Returns
    -------
    SolveTable

    Examples
    --------
    >>> t = chapter_runs(2)
    >>> [r.label for r in t.rows][:2], t.rows[0].runs
    (['exact match, V=3, T=3', 'exact match, V=2, T=4'], 2)
    """
    return _chapter_runs(check_int(seeds, "seeds", 1, "run at least one seed"))


@functools.lru_cache(maxsize=4)
def _chapter_runs(seeds: int) -> SolveTable:
    tasks = [(label, make_family(name, TokenMDP(V, T))) for label, name, V, T in PG_TASKS]
    return solve_table(tasks, seeds, **PG_SETTINGS)


def run_information(row: SolveRow, run: int = 0) -> EpisodeInformation:
    """:func:`episode_information` of run ``run`` of a :class:`SolveRow`.

    Examples
    --------
    >>> row = chapter_runs(2).rows[0]
    >>> info = run_information(row, 0)
    >>> bool(len(info.expected_xi) == row.summary.runs[0].episodes[-1])
    True
    """
    curve = row.summary.runs[check_int(run, "run", 0, "a run number")]
    fam = _family_of(row)
    return episode_information(fam, int(curve.settings["xi"]), curve.trajectories)


def _family_of(row: SolveRow) -> RewardFamily:
    for label, name, V, T in PG_TASKS:
        if label == row.label:
            return make_family(name, TokenMDP(V, T))
    raise ValueError(f"{row.label!r} is not one of the §3.1 tasks")


# ============================================================================ the §3.1.3 demo
#: The step sizes of the §3.1.3 demo; the chapter's runs use ``PG_SETTINGS["lr"]``, the middle one.
IDENTIFY_LRS = (1.0, 2.0, 8.0)


def identify_row(task: str, lr: float, seeds: int = 6) -> SolveRow:
    """One task of :data:`PG_TASKS`, run as in :func:`chapter_runs` but with step size ``lr``.

    :func:`solve_table` with :data:`PG_SETTINGS` except ``lr`` (cached: the §3.1.3 demo draws one
    row per frame). With ``lr = PG_SETTINGS["lr"]`` the row *is* the chapter's row of
    :func:`chapter_runs` (same seeds, same settings, same cache), so the demo and the page's table
    cannot disagree.

    Parameters
    ----------
    task : str
        A label of :data:`PG_TASKS`, e.g. ``"exact match, V=2, T=4"``.
    lr : float
        REINFORCE's step size (> 0).
    seeds : int
        Seeds ``0 .. seeds-1``; each draws its own hidden ξ from the prior.

    Returns
    -------
    SolveRow

    Raises
    ------
    ValueError
        An unknown task, a step size that is not a positive number, or fewer than one seed.

    Examples
    --------
    >>> r = identify_row("token utility, V=2, T=3", 8.0, seeds=2)
    >>> r.levels, r.runs, r.label
    (4, 2, 'token utility, V=2, T=3')
    """
    labels = [t[0] for t in PG_TASKS]
    if task not in labels:
        raise ValueError(f"unknown task {task!r}; valid: {', '.join(labels)}")
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not math.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr must be a positive step size, got {lr!r}")
    seeds = check_int(seeds, "seeds", 1, "run at least one seed")
    if float(lr) == PG_SETTINGS["lr"]:
        return _chapter_runs(seeds).rows[labels.index(task)]
    return _identify_row(task, float(lr), seeds)


@functools.lru_cache(maxsize=32)
def _identify_row(task: str, lr: float, seeds: int) -> SolveRow:
    _, name, V, T = next(t for t in PG_TASKS if t[0] == task)
    settings = {**PG_SETTINGS, "lr": lr}
    return solve_table([(task, make_family(name, TokenMDP(V, T)))], seeds, **settings).rows[0]


# ============================================================================ the §3.1 demo: one step
#: The policy before the step of the §3.1 demo (|V| = 2, T = 2): the probability of writing ``a``
#: at the prefixes ``""``, ``"a"`` and ``"b"``; the logits are their logarithms.
STEP_START_A = (0.6, 0.75, 0.3)
#: The four episodes of that task, in trajectory order.
STEP_STRINGS = ("aa", "ab", "ba", "bb")


@dataclass(frozen=True)
class OneStep:
    """One REINFORCE step ``θ ← θ + α (G − b) Σ_t ∇ log π_θ(a_t | s_t)`` from one episode.

    Rows of the ``(3, 2)`` arrays are the prefixes ``""``, ``"a"``, ``"b"``; columns the tokens
    ``a``, ``b``. ``p_tau_*`` are the probabilities of the four episodes :data:`STEP_STRINGS`.
    """

    tau: str
    G: float
    baseline: float
    lr: float
    logits_before: np.ndarray
    logits_after: np.ndarray
    probs_before: np.ndarray
    probs_after: np.ndarray
    p_tau_before: np.ndarray
    p_tau_after: np.ndarray
    visited: tuple[int, ...]

    @property
    def delta(self) -> np.ndarray:
        """The change of the logits, ``α (G − b) Σ_t ∇ log π_θ(a_t | s_t)``."""
        return self.logits_after - self.logits_before


def one_step(tau: str, G: float, baseline: float = 0.0,
             lr: float = PG_SETTINGS["lr"]) -> OneStep:
    """One REINFORCE step on the §3.1 demo's task from the episode ``tau`` and its return ``G``.

    The policy before the step writes ``a`` with the probabilities :data:`STEP_START_A`. The step
    is ``lr`` times :func:`~infobandwidth.learning.reinforce.policy_gradient` of the one episode,
    given a reward vector that holds ``G`` for ``tau`` and 0 elsewhere: the estimator reads the
    return of the sampled episode only, and the hidden ξ is not one of its arguments.

    Parameters
    ----------
    tau : str
        The sampled episode, one of :data:`STEP_STRINGS`.
    G : float
        The return it received (finite).
    baseline : float
        The constant baseline ``b`` (finite).
    lr : float
        The step size ``α > 0`` (default the chapter's ``PG_SETTINGS["lr"]``).

    Returns
    -------
    OneStep

    Raises
    ------
    ValueError
        An episode that is not one of :data:`STEP_STRINGS`, a non-finite return or baseline, or a
        step size that is not a positive number.

    Examples
    --------
    A hit on ``ab`` with no baseline raises the chance of writing ``ab``; a miss changes nothing:

    >>> s = one_step("ab", 1.0)
    >>> round(float(s.p_tau_before[1]), 3), round(float(s.p_tau_after[1]), 3)
    (0.15, 0.767)
    >>> bool(abs(one_step("ab", 0.0).delta).max() == 0)
    True
    >>> one_step("abc", 1.0)
    Traceback (most recent call last):
        ...
    ValueError: tau must be one of aa, ab, ba, bb, got 'abc'
    """
    if tau not in STEP_STRINGS:
        raise ValueError(f"tau must be one of {', '.join(STEP_STRINGS)}, got {tau!r}")
    for name, x in (("G", G), ("baseline", baseline)):
        if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
            raise ValueError(f"{name} must be a finite number, got {x!r}")
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not math.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr must be a positive step size, got {lr!r}")
    mdp = TokenMDP(2, 2)
    p_a = np.asarray(STEP_START_A, dtype=float)
    before = np.log(np.stack([p_a, 1.0 - p_a], axis=1))
    k = STEP_STRINGS.index(tau)
    returns = np.zeros(mdp.n_trajectories)
    returns[k] = float(G)                       # only the sampled episode's return is read
    grad = policy_gradient(mdp, before, [k], returns, baseline=float(baseline))
    after = before + float(lr) * grad
    pol_before, pol_after = softmax_policy(mdp, before), softmax_policy(mdp, after)
    tokens = [int(x) for x in mdp.decode(k)]
    visited = (mdp.prefix_index(()), mdp.prefix_index(tokens[:1]))
    return OneStep(tau=tau, G=float(G), baseline=float(baseline), lr=float(lr),
                   logits_before=before, logits_after=after,
                   probs_before=pol_before.table, probs_after=pol_after.table,
                   p_tau_before=pol_before.trajectory_probs(),
                   p_tau_after=pol_after.trajectory_probs(), visited=visited)
