"""infobandwidth — the computing half of the book *Information Bandwidth in Reinforcement Learning*.

Everything a chapter shows is computed here and tested in ``tests/``. The package is layered; each
layer imports only the layers below it (checked by import-linter, see ``pyproject.toml``):

``base``         validation, numerical kernels and named tolerances, progress bars
``information``  entropy, mutual information, KL, joints, channels, quantisation, sympy versions
``model``        the token-level MDP, reward families with priors over ξ, optimal policies, values
``signals``      learning signals, the ideal Bayesian observer, bandwidths, return chain, TD errors
``learning``     REINFORCE and actor-critic with exact learning curves, sample complexity
``book``         the book layer: claim checks, chapter experiments, demos, figures, exercises, glue
``tools``        the build: Sphinx extension, editions, chapter runner

What a reader calls is re-exported here explicitly, e.g. ``import infobandwidth as ib`` then
``ib.entropy``, ``ib.TokenMDP``, ``ib.exact_match``, ``ib.reinforce``, ``ib.show_claim``.
"""

# foundations
from infobandwidth.base.progress import in_build, progress

# the book's claim checks
from infobandwidth.book.claims.registry import all_claims, evaluate, show_claim
from infobandwidth.information.channels import (
    binary_symmetric_channel,
    channel,
    compose,
    deterministic_channel,
    joint_from_channel,
    markov_chain_joint,
)
from infobandwidth.information.gaussian import (
    QuantisedAR1,
    ar1_entropies,
    quantised_ar1,
)
from infobandwidth.information.joint import Joint
from infobandwidth.information.dirichlet import (
    dirichlet_accumulated_information,
    dirichlet_expected_entropy,
    dirichlet_information_gain,
)

# information measures (§2.3–2.4)
from infobandwidth.information.measures import (
    binary_entropy,
    conditional_entropy,
    conditional_mutual_information,
    entropy,
    kl_divergence,
    mutual_information,
)
from infobandwidth.information.quantise import (
    bin_centers,
    bin_edges,
    quantise,
    quantised_distribution,
)
from infobandwidth.information.symbolic import (
    SymJoint,
    sym_binary_entropy,
    sym_bsc_joint,
    sym_conditional_entropy,
    sym_entropy,
    sym_joint_2x2,
    sym_kl_divergence,
    sym_mutual_information,
)

# learners and sample complexity (§3, §4.3)
from infobandwidth.learning.runs import BASELINES, CRITICS, MAX_OBSERVER_CELLS, TrainingCurve
from infobandwidth.learning.tabular import MAX_TABLE_ENTRIES, HiddenString
from infobandwidth.learning.curves import SeedSummary, episodes_to_identify, episodes_to_solve, run_seeds
from infobandwidth.learning.actor_critic import actor_critic, actor_critic_gradient
from infobandwidth.learning.reinforce import policy_gradient, reinforce
from infobandwidth.learning.cost import LEARNER_COSTS, OpCount, ops_per_episode
from infobandwidth.learning.exploration import (
    ExplorationCurve,
    exploration_curve,
    ids_distribution,
    regret_and_gain,
)
from infobandwidth.learning.sample_complexity import (
    exact_match_episodes_dense,
    exact_match_episodes_sparse,
    exact_match_summary,
    information_lower_bound,
)

# the token-level MDP, rewards, optimal policies, values (§2.1–2.2)
from infobandwidth.model.mdp import (
    MAX_CALLABLE_PREFIXES,
    MAX_TRAJECTORIES,
    Estimate,
    Policy,
    TokenMDP,
    behaviour_policy,
    callable_policy,
    deterministic_policy,
    expected_return,
    sampled_return,
    softmax_policy,
    table_policy,
    uniform_policy,
)
from infobandwidth.model.dynamics import DirichletMDP
from infobandwidth.model.optimal import (
    TIE_BREAKS,
    OptimalPolicies,
    optimal_policies,
    optimal_policy,
    optimal_policy_counts,
)
from infobandwidth.model.rewards import (
    FAMILY_NAMES,
    MAX_PAIRS,
    MAX_XI,
    ExactMatch,
    MatchCount,
    RewardFamily,
    TableFamily,
    TokenUtility,
    exact_match,
    family_label,
    make_family,
    match_count,
    reward_table,
    string_prior,
    token_utility,
)
from infobandwidth.model.priors import (
    prior_policy_logits,
    surprisal_bits,
    tempered_prior,
    tempered_token_probs,
)
from infobandwidth.model.values import (
    ideal_critic,
    step_rewards,
    td_errors,
    value_function,
)
from infobandwidth.signals.drift import (
    DriftCurve,
    drift_entropy_rate,
    drift_filter,
    filter_beliefs,
)
from infobandwidth.signals.accumulation import (
    ACCUMULATION_POLICIES,
    Accumulation,
    information_accumulation,
)
from infobandwidth.signals.bandwidth import (
    MAX_JOINT_ENTRIES,
    Bandwidth,
    signal_bandwidth,
    signal_joint,
)
from infobandwidth.signals.montecarlo import McBandwidth, signal_bandwidth_mc
from infobandwidth.signals.observer import (
    MAX_EXACT_CELLS,
    MAX_SAMPLED_CELLS,
    BayesLearner,
    EpisodeInformation,
    LearningCurve,
    PosteriorEntropyCurve,
    episode_information,
    expected_posterior_entropy,
    posterior,
)
from infobandwidth.signals.model_based import (
    dynamics_information,
    model_free_information,
)
from infobandwidth.signals.returns import (
    InformationChain,
    information_chain,
    markov_numbers,
    return_bins,
)

# learning signals and what they tell (§2.5, §3.1, §3.2)
from infobandwidth.signals.signals import (
    SIGNAL_NAMES,
    CallableSignal,
    DenseRewards,
    NoisySignal,
    QuantisedReturn,
    ReturnSignal,
    Signal,
    TableSignal,
    as_signal,
    make_signal,
)
from infobandwidth.signals.td import (
    RewardToGoSignal,
    TDErrorSignal,
    TDInformation,
    critic_error,
    td_error_table,
    td_information,
)

__all__ = [
    "in_build",
    "progress",
    "entropy",
    "conditional_entropy",
    "mutual_information",
    "conditional_mutual_information",
    "kl_divergence",
    "binary_entropy",
    "Joint",
    "bin_edges",
    "bin_centers",
    "quantise",
    "quantised_distribution",
    "sym_entropy",
    "sym_binary_entropy",
    "sym_conditional_entropy",
    "sym_mutual_information",
    "sym_kl_divergence",
    "sym_joint_2x2",
    "sym_bsc_joint",
    "SymJoint",
    "channel",
    "binary_symmetric_channel",
    "deterministic_channel",
    "compose",
    "joint_from_channel",
    "markov_chain_joint",
    "ar1_entropies",
    "quantised_ar1",
    "QuantisedAR1",
    "MAX_TRAJECTORIES",
    "MAX_CALLABLE_PREFIXES",
    "TokenMDP",
    "Policy",
    "Estimate",
    "uniform_policy",
    "softmax_policy",
    "table_policy",
    "deterministic_policy",
    "callable_policy",
    "expected_return",
    "sampled_return",
    "behaviour_policy",
    "FAMILY_NAMES",
    "MAX_XI",
    "MAX_PAIRS",
    "RewardFamily",
    "ExactMatch",
    "MatchCount",
    "TokenUtility",
    "TableFamily",
    "exact_match",
    "match_count",
    "token_utility",
    "reward_table",
    "make_family",
    "string_prior",
    "family_label",
    "tempered_prior",
    "tempered_token_probs",
    "prior_policy_logits",
    "surprisal_bits",
    "OptimalPolicies",
    "optimal_policies",
    "optimal_policy",
    "TIE_BREAKS",
    "optimal_policy_counts",
    "step_rewards",
    "value_function",
    "ideal_critic",
    "td_errors",
    "SIGNAL_NAMES",
    "Signal",
    "ReturnSignal",
    "QuantisedReturn",
    "DenseRewards",
    "NoisySignal",
    "TableSignal",
    "CallableSignal",
    "make_signal",
    "as_signal",
    "BayesLearner",
    "LearningCurve",
    "PosteriorEntropyCurve",
    "posterior",
    "expected_posterior_entropy",
    "MAX_EXACT_CELLS",
    "MAX_SAMPLED_CELLS",
    "EpisodeInformation",
    "episode_information",
    "ACCUMULATION_POLICIES",
    "Accumulation",
    "information_accumulation",
    "DriftCurve",
    "drift_entropy_rate",
    "drift_filter",
    "filter_beliefs",
    "Bandwidth",
    "signal_bandwidth",
    "signal_joint",
    "MAX_JOINT_ENTRIES",
    "McBandwidth",
    "signal_bandwidth_mc",
    "InformationChain",
    "information_chain",
    "return_bins",
    "markov_numbers",
    "td_error_table",
    "TDErrorSignal",
    "RewardToGoSignal",
    "TDInformation",
    "td_information",
    "critic_error",
    "MAX_TABLE_ENTRIES",
    "MAX_OBSERVER_CELLS",
    "BASELINES",
    "CRITICS",
    "HiddenString",
    "TrainingCurve",
    "SeedSummary",
    "reinforce",
    "actor_critic",
    "policy_gradient",
    "actor_critic_gradient",
    "episodes_to_solve",
    "run_seeds",
    "episodes_to_identify",
    "information_lower_bound",
    "LEARNER_COSTS",
    "OpCount",
    "ops_per_episode",
    "exact_match_episodes_sparse",
    "exact_match_episodes_dense",
    "exact_match_summary",
    "ExplorationCurve",
    "exploration_curve",
    "ids_distribution",
    "regret_and_gain",
    "dirichlet_expected_entropy",
    "dirichlet_information_gain",
    "dirichlet_accumulated_information",
    "DirichletMDP",
    "dynamics_information",
    "model_free_information",
    "all_claims",
    "evaluate",
    "show_claim",
]

__version__ = "0.2.0"
