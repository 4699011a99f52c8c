"""infobandwidth — the computing half of the book *Information Bandwidth in Reinforcement Learning*.

Everything a chapter shows is computed here and tested in ``tests/``. One module per concept:

``measures``   entropy, conditional entropy, mutual information, KL divergence (bits)   — §2.3
``joint``      joints of many named variables; H, I, I(·;·|·) asked for by name       — §2.3–2.5
``quantize``   a real signal squeezed into B levels                                    — §3.1
``symbolic``   the same measures on sympy symbols, for derivations                    — §2.3–2.4
``channels``   noisy channels and Markov chains for the data-processing inequality    — §2.4
``mdp``      the token-level MDP: prefixes, trajectories, policies, J           — §2.1
``rewards``  reward families with priors over ξ, optimal policies, learning signals — §2.2, §2.5
``bayes``    exact Bayesian posteriors and the ideal learner                       — §2.2, §4.3
``bandwidth`` potential/effective bandwidth and the new information per episode  — §2.5, §3
``montecarlo`` sampled estimates with standard errors when enumeration is too big
``critics``  exact V^π, the idealised critics, TD errors for a given critic       — §3.2
``learners`` REINFORCE and TD actor-critic with exact learning curves          — §3.1, §3.2
``reinforce_signal`` the REINFORCE return: the chain to log2 B, bits per episode     — §3.1
``td_information`` what TD errors tell the learner, critics frozen or ideal       — §3.2
``claims``   the registry of claim checks and their computed verdicts
``demos``      one demo function + a parameter grid → live widget or kernel-free page
``sample_complexity`` information lower bounds vs the episodes an ideal learner needs   — §1, §4.3
``progress``   progress bars that show when run live and stay quiet in the build
"""
from .measures import *  # noqa: F401,F403
from .joint import *  # noqa: F401,F403
from .quantize import *  # noqa: F401,F403
from .symbolic import *  # noqa: F401,F403
from .channels import *  # noqa: F401,F403
from .progress import *  # noqa: F401,F403
from .mdp import *  # noqa: F401,F403
from .rewards import *  # noqa: F401,F403
from .bayes import *  # noqa: F401,F403
from .bandwidth import *  # noqa: F401,F403
from .montecarlo import *  # noqa: F401,F403
from .critics import *  # noqa: F401,F403
from .learners import *  # noqa: F401,F403
from .sample_complexity import *  # noqa: F401,F403
from .claims import all_claims, evaluate, show_claim  # noqa: F401

__version__ = "0.1.0"
