"""Exercises of §4.7, *Agentic RL and model-based methods* (``book/part4/agentic.md``)."""
from __future__ import annotations

from infobandwidth.book.exercises._registry import Exercise, numbers_checker, register

__all__: list[str] = []

#: The instance of the from-scratch exercise: two states, two actions, two steps, Dirichlet(1, 1)
#: (the symmetric prior with α₀ = 1).
SCRATCH = {"n_states": 2, "n_actions": 2, "horizon": 2}


def scratch_numbers() -> tuple[float, float]:
    """The library's ``I(τ; P)`` and ``I(G; ξ | τ)`` for :data:`SCRATCH`."""
    from infobandwidth.model.dynamics import DirichletMDP
    from infobandwidth.signals.model_based import dynamics_information

    info = dynamics_information(DirichletMDP(SCRATCH["n_states"], SCRATCH["n_actions"],
                                             SCRATCH["horizon"]))
    return info.I_dynamics, info.I_reward


def _first_step_only(ans, exp):
    from infobandwidth.model.dynamics import DirichletMDP
    from infobandwidth.signals.model_based import dynamics_information

    one = dynamics_information(DirichletMDP(2, 2, 1)).I_dynamics
    if abs(ans[0] - one) < 1e-3 or abs(ans[0] - 2 * one) < 1e-3:
        return ("the second step's gain depends on the first: when the episode comes back to the "
                "same (s, a) pair, the posterior is Dirichlet(1 + counts), and its gain is smaller.")
    return None


register(Exercise(
    id="agentic/episode-from-scratch",
    section="4.7",
    question="Two states, two actions, T = 2, Dirichlet(1, 1) on every P(·|s,a), uniform policy, "
             "goal-state reward: in numpy, give I(τ; P) and I(G; ξ | τ) of one episode.",
    solution=scratch_numbers,
    compare=numbers_checker(
        ["I(τ;P)", "I(G;ξ|τ)"],
        item_hints=[
            "sum over the 16 episodes p(τ) · Σ_t gain(α'), with α' = α₀ + the counts of (s_t, a_t) "
            "before step t (here α₀ = 1), with "
            "p(τ) the product of the policy's 1/2 and the Pólya predictive (1 + N_{s,a,s'})/(2 + N_{s,a}) "
            "of each step, and gain(α') = H(α'/A') − E[H] computed with harmonic numbers.",
            "the reward is 1 exactly when s_T is the goal, and the goal is uniform over two states: "
            "whatever s_T is, G is a fair coin.",
        ],
        extra=_first_step_only),
    praise="The next states tell well under a bit about the four transition distributions, far from "
           "T log2|𝒮| = 2 bits, and the reward tells a full bit about the goal.",
))
