"""Optimal policies π*: which trajectories a reward function makes best, and how ties are broken (§2.2).

In the token MDP the dynamics are deterministic, so an optimal policy is a trajectory of maximal
reward from the empty prefix; behaviour off that path does not change ``J``. A reward function can
have several optimal trajectories. :func:`optimal_policies` names one per ξ by a stated tie rule
(:data:`TIE_BREAKS`: the lexicographically first, the last, or the whole set), so that π* is a
function of ξ and ``H(π*)`` is defined; :func:`optimal_policy_counts` counts the ties.

Examples
--------
>>> from infobandwidth.model.mdp import TokenMDP
>>> from infobandwidth.model.rewards import exact_match
>>> optimal_policies(exact_match(TokenMDP(2, 2))).n_classes
4
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from infobandwidth.base.validate import (
    check_enumerable,
    check_prior,
)
from infobandwidth.model.mdp import (
    Policy,
    TokenMDP,
    deterministic_policy,
)
from infobandwidth.model.rewards import MAX_PAIRS, RewardFamily, _row_chunks, check_family

__all__ = [
    "OptimalPolicies",
    "optimal_policies",
    "optimal_policy",
    "TIE_BREAKS",
    "optimal_policy_counts",
]


# ============================================================================ optimal policies
@dataclass(frozen=True)
class OptimalPolicies:
    """π*_ξ for every ξ of a family and the induced distribution p(π*) (§2.2).

    π*_ξ is the lexicographically smallest optimal trajectory (see the module docstring).

    Attributes
    ----------
    trajectory : numpy.ndarray, shape (n_xi,)
        Index of π*_ξ's trajectory for every ξ.
    n_optima : numpy.ndarray, shape (n_xi,)
        Number of optimal trajectories of ξ before tie-breaking.
    classes : numpy.ndarray, shape (n_xi,)
        ``classes[ξ]`` numbers π*_ξ among the distinct optima (0 .. n_classes-1, in trajectory order).
    class_trajectory : numpy.ndarray, shape (n_classes,)
        The trajectory of each distinct optimal policy.
    prior : numpy.ndarray, shape (n_xi,)
        The family's prior, used by the properties below.
    labels : list of str
        The trajectory of each class as text.

    Examples
    --------
    See :func:`optimal_policies`.

    >>> from infobandwidth.model.rewards import exact_match
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> optimal_policies(exact_match(TokenMDP(2, 1))).n_classes
    2
    """

    trajectory: np.ndarray
    n_optima: np.ndarray
    classes: np.ndarray
    class_trajectory: np.ndarray
    prior: np.ndarray
    labels: list[str] = field(repr=False)

    @property
    def n_classes(self) -> int:
        """Number of distinct optimal policies."""
        return len(self.class_trajectory)

    @property
    def tied(self) -> np.ndarray:
        """Boolean ``(n_xi,)``: ξ has several optimal trajectories before tie-breaking."""
        return self.n_optima > 1

    @property
    def n_tied(self) -> int:
        """How many ξ have ties (non-unique optima) before tie-breaking."""
        return int(self.tied.sum())

    def distribution(self, weights: Any = None) -> np.ndarray:
        """``p(π*)`` over the classes under ``weights`` over ξ (default: the prior)."""
        w = self.prior if weights is None else check_prior(weights, len(self.prior))
        return np.bincount(self.classes, weights=w, minlength=self.n_classes)

    def entropy_xi(self, weights: Any = None) -> float:
        """``H(ξ)`` in bits under ``weights`` (default: the prior)."""
        from infobandwidth.information.measures import entropy

        w = self.prior if weights is None else check_prior(weights, len(self.prior))
        return entropy(w)

    def entropy_pi_star(self, weights: Any = None) -> float:
        """``H(π*)`` in bits under ``weights`` over ξ (default: the prior)."""
        from infobandwidth.information.measures import entropy

        return entropy(self.distribution(weights))

    @property
    def H_xi(self) -> float:
        """``H(ξ)`` under the prior."""
        return self.entropy_xi()

    @property
    def H_pi_star(self) -> float:
        """``H(π*)`` under the prior; ``<= H(ξ)``, with equality iff ξ ↦ π* is one-to-one on the support."""
        return self.entropy_pi_star()


def _optimal_generic(family: RewardFamily) -> tuple[np.ndarray, np.ndarray]:
    n_tr = family.mdp.n_trajectories
    check_enumerable(family.n_xi * n_tr, MAX_PAIRS, "the reward table (ξ, τ)",
                     "a family with a closed-form optimum or a smaller MDP")
    invalid = ~family.mdp.valid
    traj = np.zeros(family.n_xi, dtype=np.int64)
    n_opt = np.zeros(family.n_xi, dtype=np.int64)
    for a, b in _row_chunks(family.n_xi, n_tr):
        r = family._sparse(np.arange(a, b), np.arange(n_tr))
        if invalid.any():
            r = np.where(invalid[None, :], -np.inf, r)
        best = r.max(axis=1)
        traj[a:b] = np.argmax(r, axis=1)  # first maximum = lexicographically smallest
        n_opt[a:b] = (r == best[:, None]).sum(axis=1)
    return traj, n_opt


def optimal_policies(family: RewardFamily, tie_break: str = "first") -> OptimalPolicies:
    """π*_ξ for every ξ, ties counted, and the induced p(π*) (§2.2).

    Among the trajectories of maximal reward, π*_ξ is the lexicographically smallest; ξ's that
    share it are merged into one class. ``H(π*) <= H(ξ)``, strictly when several likely ξ share
    an optimum.

    Parameters
    ----------
    family : RewardFamily
    tie_break : {"first", "last", "set"}
        How a ξ with several optimal trajectories is mapped to one π* (§2.2):
        ``"first"`` (the default, used everywhere else in the book) takes the lexicographically
        smallest optimal trajectory, ``"last"`` the largest, and ``"set"`` identifies π*_ξ with
        the whole set of optimal trajectories (equivalently, the uniform mixture over them), so
        two ξ share π* only if they have exactly the same optima. ``"last"`` and ``"set"``
        enumerate the reward table (at most :data:`MAX_PAIRS` pairs).

    Returns
    -------
    OptimalPolicies
        Cached on the family (its prior is used by the entropy properties). With ``"last"`` and
        ``"set"``, ``trajectory`` holds the last or first optimal trajectory as representative
        and the labels of ``"set"`` list the optima, e.g. ``"{a,b}"``.

    Raises
    ------
    ValueError
        If the family has no closed-form optimum and its table exceeds :data:`MAX_PAIRS`.

    Examples
    --------
    >>> from infobandwidth.model.rewards import token_utility
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> fam = token_utility(TokenMDP(2, 1))        # ξ = (u[a], u[b]) in {0,1}^2
    >>> opt = optimal_policies(fam)
    >>> opt.trajectory.tolist(), opt.n_tied        # (0,0) and (1,1) tie, broken to 'a'
    ([0, 1, 0, 0], 2)
    >>> opt.labels, opt.distribution().tolist()
    (['a', 'b'], [0.75, 0.25])
    >>> round(opt.H_xi, 3), round(opt.H_pi_star, 3)
    (2.0, 0.811)
    >>> opt_set = optimal_policies(fam, tie_break="set")   # ties kept as the set {a, b}
    >>> opt_set.labels, opt_set.distribution().tolist(), opt_set.H_pi_star
    (['a', '{a,b}', 'b'], [0.25, 0.5, 0.25], 1.5)
    """
    check_family(family)
    if tie_break not in TIE_BREAKS:
        raise ValueError(f"unknown tie_break {tie_break!r}; valid rules: {', '.join(TIE_BREAKS)}")
    if tie_break != "first":
        key = f"optimal:{tie_break}"
        if key not in family._cache:
            family._cache[key] = _optimal_by_rule(family, tie_break)
        return family._cache[key]
    if "optimal" not in family._cache:
        res = family._optimal()
        traj, n_opt = res if res is not None else _optimal_generic(family)
        distinct, classes = np.unique(traj, return_inverse=True)
        for arr in (traj, n_opt, classes, distinct):
            arr.flags.writeable = False
        family._cache["optimal"] = OptimalPolicies(
            trajectory=traj,
            n_optima=n_opt,
            classes=classes.astype(np.int64),
            class_trajectory=distinct,
            prior=family.prior,
            labels=[family.mdp.label(int(t)) for t in distinct],
        )
    return family._cache["optimal"]


def optimal_policy(family: RewardFamily, xi: int) -> Policy:
    """The full deterministic optimal policy of ξ on every prefix (§2.2).

    At each prefix it picks the token whose best completion has the highest reward, the smallest
    token on ties. From ``s_0`` it generates π*_ξ's trajectory (:func:`optimal_policies`); off that
    path it is the optimal continuation, which ``J`` does not see.

    Parameters
    ----------
    family : RewardFamily
    xi : int
        The reward parameter.

    Returns
    -------
    Policy
        A deterministic policy (one token per prefix).

    Examples
    --------
    >>> from infobandwidth.model.rewards import exact_match
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> fam = exact_match(TokenMDP(2, 2))
    >>> pol = optimal_policy(fam, 2)               # target "ba"
    >>> pol.trajectory_probs().tolist()
    [0.0, 0.0, 1.0, 0.0]
    >>> fam.expected_return(pol, 2)
    1.0
    """
    mdp = family.mdp
    r = family.sparse_rewards(xi)
    r = np.where(mdp.valid, r, -np.inf)
    V, T = mdp.V, mdp.T
    actions = np.zeros(mdp.n_prefixes, dtype=np.int64)
    w = r
    for t in range(T - 1, -1, -1):
        q = w.reshape(-1, V)  # q[k, a]: best reward after prefix k (length t) then token a
        actions[mdp._offsets[t] : mdp._offsets[t + 1]] = np.argmax(q, axis=1)
        w = q.max(axis=1)
    return deterministic_policy(mdp, actions, name=f"π*[{family.label(xi)}]")


#: Tie-breaking rules accepted by :func:`optimal_policies`.
TIE_BREAKS = ("first", "last", "set")


def _optimal_mask_blocks(family: RewardFamily):
    """Yield ``(a, b, mask)``: ``mask[i, τ]`` is True iff τ is optimal for ξ = a + i."""
    n_tr = family.mdp.n_trajectories
    check_enumerable(family.n_xi * n_tr, MAX_PAIRS, "the reward table (ξ, τ)",
                     "tie_break='first' (closed forms for the built-in families) or a smaller MDP")
    invalid = ~family.mdp.valid
    for a, b in _row_chunks(family.n_xi, n_tr):
        r = family._sparse(np.arange(a, b), np.arange(n_tr))
        if invalid.any():
            r = np.where(invalid[None, :], -np.inf, r)
        yield a, b, r == r.max(axis=1, keepdims=True)


def _set_label(mdp: TokenMDP, optima: np.ndarray) -> str:
    names = [mdp.label(int(t)) for t in optima]
    if len(names) == 1:
        return names[0]
    if len(names) > 4:
        return "{" + ",".join(names[:3]) + f",… ({len(names)})" + "}"
    return "{" + ",".join(names) + "}"


def _optimal_by_rule(family: RewardFamily, rule: str) -> OptimalPolicies:
    mdp = family.mdp
    n_tr = mdp.n_trajectories
    traj = np.zeros(family.n_xi, dtype=np.int64)
    n_opt = np.zeros(family.n_xi, dtype=np.int64)
    keys: list[bytes] = []
    for a, b, mask in _optimal_mask_blocks(family):
        n_opt[a:b] = mask.sum(axis=1)
        if rule == "last":
            traj[a:b] = n_tr - 1 - np.argmax(mask[:, ::-1], axis=1)
        else:
            traj[a:b] = np.argmax(mask, axis=1)
            packed = np.packbits(mask, axis=1)
            keys.extend(row.tobytes() for row in packed)
    if rule == "last":
        distinct, classes = np.unique(traj, return_inverse=True)
        labels = [mdp.label(int(t)) for t in distinct]
    else:
        # classes = distinct optimal sets, ordered by (first optimum, number of optima)
        first_of: dict[bytes, tuple[int, int]] = {}
        for x, k in enumerate(keys):
            first_of.setdefault(k, (int(traj[x]), int(n_opt[x])))
        order = sorted(first_of, key=lambda k: first_of[k])
        number = {k: i for i, k in enumerate(order)}
        classes = np.array([number[k] for k in keys], dtype=np.int64)
        distinct = np.array([first_of[k][0] for k in order], dtype=np.int64)
        labels = []
        for k in order:
            bits = np.unpackbits(np.frombuffer(k, dtype=np.uint8))[:n_tr].astype(bool)
            labels.append(_set_label(mdp, np.flatnonzero(bits)))
    classes = classes.astype(np.int64)
    for arr in (traj, n_opt, classes, distinct):
        arr.flags.writeable = False
    return OptimalPolicies(trajectory=traj, n_optima=n_opt, classes=classes,
                           class_trajectory=distinct, prior=family.prior, labels=labels)


def optimal_policy_counts(family: RewardFamily) -> np.ndarray:
    """How many deterministic policies are optimal for each ξ, before any convention (§2.2).

    A deterministic policy generates one trajectory, and it is optimal iff that trajectory is.
    Its choices at the prefixes the trajectory never visits are free, so every optimal trajectory
    ``τ`` is generated by ``V ** (live prefixes - steps of τ)`` optimal policies (live: not
    after the end token). The count is therefore more than 1 for every ξ as soon as ``T >= 2``
    and ``V >= 2``, even when the optimal *trajectory* is unique: the unique-optimum assumption
    of §2.2 holds only for policies identified by their behaviour on the optimal path.

    Parameters
    ----------
    family : RewardFamily

    Returns
    -------
    numpy.ndarray of int (object dtype), shape (n_xi,)
        Exact counts (Python integers: they grow like ``V ** (V ** (T-1))``).

    Raises
    ------
    ValueError
        If ``family`` is not a RewardFamily, or (with an end token) its table exceeds
        :data:`MAX_PAIRS`.

    Examples
    --------
    >>> from infobandwidth.model.rewards import exact_match, token_utility
    >>> from infobandwidth.model.mdp import TokenMDP
    >>> optimal_policy_counts(exact_match(TokenMDP(2, 2))).tolist()   # one free prefix each
    [2, 2, 2, 2]
    >>> optimal_policy_counts(token_utility(TokenMDP(2, 1))).tolist() # T = 1: only ties count
    [2, 1, 1, 2]
    """
    check_family(family)
    mdp = family.mdp
    if mdp.end_token is None:
        free = mdp.V ** (mdp.n_prefixes - mdp.T)
        n_opt = optimal_policies(family).n_optima
        return np.array([int(k) * free for k in n_opt], dtype=object)
    n_live = int(mdp.n_prefixes - mdp.dead_prefixes.sum())
    steps = mdp.alive.sum(axis=1)
    per_tau = [mdp.V ** int(n_live - s) for s in steps]
    out = np.empty(family.n_xi, dtype=object)
    for a, _b, mask in _optimal_mask_blocks(family):
        for i, row in enumerate(mask):
            out[a + i] = sum(per_tau[int(t)] for t in np.flatnonzero(row))
    return out
