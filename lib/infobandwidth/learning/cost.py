"""What one episode costs to learn from: arithmetic operations of the tabular learners (§4.6).

Used by ``book/part4/trade-offs.md``. The article trades signal density against computation: a
dense signal needs a critic and more work per step. To put a number on "more work" that does not
depend on the machine, we *count* the floating-point operations (``+ − × ÷``, ``exp`` and
comparisons, one each) that the pseudocode of :mod:`infobandwidth.learning.runs` performs, per
episode, with ``γ = 1``. Index arithmetic, table look-ups and the environment's rewards are not
counted: they are the same for every learner or are not arithmetic.

Per step of an episode on a vocabulary of ``V`` tokens:

``sample``   draw ``a_t`` from the softmax row: ``V`` exp, ``V − 1`` adds (running sum), one
             multiply (``u · total``), ``V − 1`` comparisons, ``V`` divides (the probabilities the
             update needs): ``4V − 1``.
``actor``    ``θ[s_t] += w_t (onehot(a_t) − π(·|s_t))`` with ``w_t = (α/n) Ψ_t``: one multiply
             for ``w_t``, ``V`` multiplies, ``V`` adds and one add for the taken token: ``2V + 2``.
             Plus one divide ``α/n`` per batch.
``signal``   REINFORCE, whole return: ``T − 1`` adds for ``G`` and one subtract ``G − b`` per
             episode. With reward-to-go: ``T − 1`` adds for the ``G_t`` and ``T`` subtracts.
             Actor-critic: ``δ_t = r_t + V(s_{t+1}) − V(s_t)``, two per step.
``baseline`` REINFORCE's running-mean baseline, per batch of ``n``: the mean (``n − 1`` adds, one
             divide) and ``b += ρ (m − b)`` (three): ``n + 3`` per baseline; one baseline for the
             whole return, ``T`` with reward-to-go.
``critic``   actor-critic's batched TD(0) step: one add per visit (the per-prefix sum of ``δ``) and,
             per visited prefix, a divide (the mean), a multiply (``α_c ·``) and an add. Counted
             as if every visit were to a different prefix, which is exact for ``n = 1`` and an
             upper bound otherwise: ``4`` per step.

So per episode, with ``n`` episodes per update (:func:`ops_per_episode`)::

    REINFORCE (return)          T(6V + 2) + 1 + 4/n
    REINFORCE (reward-to-go)    T(6V + 4) − 1 + (3T + 1)/n
    actor-critic                T(6V + 7) + 1/n
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from infobandwidth.base.validate import check_choice, check_int

__all__ = ["LEARNER_COSTS", "OpCount", "ops_per_episode"]

#: The learners whose cost is counted: REINFORCE with the whole return and a running-mean
#: baseline, REINFORCE with reward-to-go and one running mean per step, and TD actor-critic with
#: a learned tabular critic (the settings of :data:`~infobandwidth.book.experiments.actor_critic.LEARNING_CONFIGS`).
LEARNER_COSTS = ("reinforce", "reinforce-rtg", "actor-critic")


@dataclass(frozen=True)
class OpCount:
    """Operations per episode, by phase (exact fractions: batch-level work is shared by ``n``).

    Attributes
    ----------
    learner : str
    V, T, batch_size : int
    sample, actor, signal, baseline, critic : fractions.Fraction
        Operations per episode of each phase (see the module docstring).
    """

    learner: str
    V: int
    T: int
    batch_size: int
    sample: Fraction
    actor: Fraction
    signal: Fraction
    baseline: Fraction
    critic: Fraction

    @property
    def total(self) -> Fraction:
        """All operations per episode."""
        return self.sample + self.actor + self.signal + self.baseline + self.critic

    @property
    def per_step(self) -> float:
        """Operations per token, ``total / T``."""
        return float(self.total / self.T)

    def as_dict(self) -> dict[str, float]:
        """The phases and the total as floats."""
        return {k: float(getattr(self, k)) for k in ("sample", "actor", "signal", "baseline",
                                                       "critic", "total")}


def ops_per_episode(learner: str, V: int, T: int, *, batch_size: int = 1) -> OpCount:
    """Count the arithmetic operations one episode costs a tabular learner (§4.6).

    Parameters
    ----------
    learner : {"reinforce", "reinforce-rtg", "actor-critic"}
        See :data:`LEARNER_COSTS`.
    V : int
        Vocabulary size ``|V| >= 2``.
    T : int
        Horizon ``>= 1``.
    batch_size : int
        Episodes per update ``n >= 1``; the per-batch work is divided among them.

    Returns
    -------
    OpCount
        Exact per-episode counts by phase; ``.total`` is their sum.

    Raises
    ------
    ValueError
        An unknown learner, ``V < 2``, ``T < 1`` or ``batch_size < 1``.

    Examples
    --------
    >>> c = ops_per_episode("reinforce", 2, 5)
    >>> int(c.total), int(ops_per_episode("actor-critic", 2, 5).total)
    (75, 96)
    >>> float(ops_per_episode("reinforce", 2, 5, batch_size=4).total)
    72.0
    >>> ops_per_episode("ppo", 2, 5)
    Traceback (most recent call last):
        ...
    ValueError: learner must be one of 'reinforce', 'reinforce-rtg', 'actor-critic'; got 'ppo'
    """
    learner = check_choice(learner, "learner", LEARNER_COSTS)
    V = check_int(V, "V", 2, "a vocabulary has at least two tokens")
    T = check_int(T, "T", 1, "an episode has at least one token")
    n = check_int(batch_size, "batch_size", 1, "an update uses at least one episode")
    F = Fraction
    sample = F(T * (4 * V - 1))
    actor = F(T * (2 * V + 2)) + F(1, n)
    baseline = critic = F(0)
    if learner == "reinforce":
        signal = F(T - 1 + 1)
        baseline = F(n + 3, n)
    elif learner == "reinforce-rtg":
        signal = F(T - 1 + T)
        baseline = F(T * (n + 3), n)
    else:
        signal = F(2 * T)
        critic = F(4 * T)
    return OpCount(learner, V, T, n, sample, actor, signal, baseline, critic)
