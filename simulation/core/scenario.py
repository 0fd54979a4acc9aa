"""The scenario: one validated parameter object that drives the model, the CLI, studies, the app and notebooks.

Every field has a default, an allowed range and a description, and says where its concept and its value come from
(:func:`simulation.core.provenance.param`: ``concept``, ``value`` - "assumption" where nothing gives the number,
"setting" for a study's own choices - and ``checked``); the metadata sit in ``json_schema_extra`` so that
``leadsim schema``, the ODD parameter table and editors all read the same facts. New fields are declared with
:func:`param` (imported here from ``provenance``).
A study varies a scenario through dotted paths (``"community.complementarity"``): see :func:`Scenario.with_values`.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .provenance import ASSUMPTION, DESIGN, SETTING, param

SECTOR_NAMES_DEFAULT = ("education", "health", "government", "business", "nonprofit")

LLC_NEW_MINDSET = "A New Leadership Mindset — Leadership for a New Era (LLC)"
LLC_LEADING_EDGE = "Leading Edge Promising Practices in Collective and Individual Leadership Development (LLC)"
LLC_PUSHING = "Pushing the Envelope on Leadership Development Delivery Strategies (LLC)"
MIT_L2L = "MIT Leader to Leader (L2L) program description"
CPS_CEV = ("AmeriCorps & U.S. Census Bureau, CPS Civic Engagement and Volunteering Supplement: 30.0% of U.S. "
           "residents 16+ volunteered through an organization in 2019, 23.2% in 2021, 28.3% in 2023")
COALITIONS = "Feinberg et al. 2008; Roussos & Fawcett 2000 (coalitions differ, some fail or end)"


class Section(BaseModel):
    """Base of every scenario section: unknown keys and non-finite numbers are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)


class PopulationParams(Section):
    people: int = param(2000, ge=20, le=20_000_000, unit="people", concept=DESIGN, value=SETTING,
                        description="Number of people living in the community (constant: leavers are replaced).")
    resident_share: float = param(0.3, ge=0.0, le=0.95, unit="share", concept=LLC_LEADING_EDGE, value=ASSUMPTION,
                                  description="Share of people who belong to no organization (residents).")
    sectors: list[str] = param(list(SECTOR_NAMES_DEFAULT), min_length=1, max_length=20, unit="names",
                               concept=LLC_LEADING_EDGE, value=SETTING,
                               description="Names of the community's sectors; each has one community lever.")
    identity_groups: int = param(4, ge=1, le=50, unit="groups", concept=LLC_LEADING_EDGE, value=ASSUMPTION,
                                 description="Number of identity groups (race, culture, language...) for bridging.")
    places: int = param(5, ge=1, le=10_000, unit="places", concept=LLC_LEADING_EDGE, value=ASSUMPTION,
                        description="Neighbourhoods or towns; organizations and residents each sit in one "
                                    "(place-based leadership works in one place).")
    org_size_min: int = param(3, ge=2, le=1000, unit="people",
                              concept="Axtell 2001 (lower cut-off of the size distribution)", value=ASSUMPTION,
                              description="Smallest organization.")
    org_size_tail: float = param(1.06, ge=1.05, le=5.0, unit="Pareto shape",
                                 concept="Axtell 2001 (firm sizes are Zipf-distributed)",
                                 value=("Axtell 2001: P(size > s) ~ s^-alpha with alpha = 1.059 for US firms (1997 "
                                        "Census data)"),
                                 checked=True,
                                 description="Tail exponent alpha of organization sizes, P(size > s) ~ s^-alpha "
                                             "(smaller = heavier tail; Zipf is alpha = 1).")
    org_size_max: int = param(2000, ge=2, le=1_000_000, unit="people",
                              concept="Axtell 2001 (truncation at the largest employer)", value=ASSUMPTION,
                              description="Largest organization.")
    manager_span: int = param(8, ge=2, le=100, unit="people", concept=DESIGN, value=ASSUMPTION,
                              description="Staff per manager; each organization also has one executive.")
    openness_mean: float = param(0.5, ge=0.0, le=1.0, unit="0-1", concept=LLC_LEADING_EDGE, value=ASSUMPTION,
                                 description="Mean organizational openness (participatory vs bureaucratic culture).")
    manager_support_mean: float = param(0.5, ge=0.0, le=1.0, unit="0-1", concept=MIT_L2L, value=ASSUMPTION,
                                        description="Mean manager support for applying what people learned.")
    org_trait_concentration: float = param(8.0, ge=0.5, le=1000.0, unit="beta a+b", concept=DESIGN, value=ASSUMPTION,
                                           description="How tightly openness and manager support cluster at "
                                                       "their means (larger = less variation between orgs).")
    initial_capacity_mean: float = param(0.3, ge=0.01, le=0.9, unit="0-1", concept=LLC_NEW_MINDSET, value=ASSUMPTION,
                                         description="Mean initial leadership capacity of staff and residents.")
    seniority_capacity_bonus: float = param(0.1, ge=0.0, le=0.5, unit="0-1 per level", concept=DESIGN, value=ASSUMPTION,
                                            description="Extra initial capacity per level of seniority.")
    initial_purpose_mean: float = param(0.4, ge=0.0, le=1.0, unit="0-1", concept=LLC_NEW_MINDSET, value=ASSUMPTION,
                                        description="Mean initial alignment with the community's shared purpose.")
    initial_engaged_share: float = param(0.27, ge=0.0, le=1.0, unit="share", concept=LLC_PUSHING, value=CPS_CEV,
                                         checked=True,
                                         description="Share of people engaged in community work at the start "
                                                     "(newcomers arrive engaged with the same chance).")
    purpose_consensus: float = param(0.48, ge=0.0, le=1.0, unit="share",
                                     concept="DeGroot 1974 (averaging narrows the spread of views)",
                                     value=("measured: the spread of purpose business as usual keeps (sd 0.077 "
                                            "against newcomers' 0.149) is 1 - 0.077/0.149 = 0.48 of the way to "
                                            "consensus (docs/validation.md, 'The baseline at rest')"),
                                     description="How far the founding population's purpose has converged toward "
                                                 "its mean (0 = newcomers' spread, 1 = full consensus): people who "
                                                 "have lived in the community share more of its purpose than "
                                                 "newcomers.")

    @field_validator("sectors")
    @classmethod
    def _unique_sectors(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("sector names must be unique")
        return value


class NetworkParams(Section):
    work_degree: float = param(6.0, ge=0.0, le=100.0, unit="ties/person", concept=DESIGN, value=ASSUMPTION,
                               description="Mean number of colleague ties inside an organization.")
    cross_org_degree: float = param(2.0, ge=0.0, le=50.0, unit="ties/person", concept=DESIGN, value=ASSUMPTION,
                                    description="Steady-state mean number of ties to people in other organizations.")
    community_degree: float = param(4.0, ge=0.0, le=50.0, unit="ties/person", concept=DESIGN, value=ASSUMPTION,
                                    description="Mean number of ties of residents (neighbours, family, faith...).")
    sector_homophily: float = param(0.6, ge=0.0, le=1.0, unit="probability",
                                    concept="McPherson et al. 2001 (homophily)", value=ASSUMPTION,
                                    description="Chance a new cross-organization tie stays within the sector.")
    group_homophily: float = param(0.7, ge=0.0, le=1.0, unit="probability", concept="McPherson et al. 2001 (homophily)",
                                   value=ASSUMPTION, description="Chance a new tie stays within the identity group.")
    triadic_closure: float = param(0.02, ge=0.0, le=1.0, unit="per person per month",
                                   concept="Rapoport 1953; Kossinets & Watts 2006 (triadic closure)", value=ASSUMPTION,
                                   description="Chance a person befriends a friend's friend in a month.")
    bridge_survival_per_year: float = param(0.1, ge=0.0, le=1.0, unit="share per year",
                                            concept="Burt 2002 (bridge decay)",
                                            value="Burt 2002: nine in ten bridges are gone a year later", checked=True,
                                            description="Share of weak, unreinforced cross-organization ties still "
                                                        "present a year later (Burt: about one in ten).")
    strong_survival_per_year: float = param(0.6, ge=0.0, le=1.0, unit="share per year",
                                            concept="Burt 2002 (strong ties and experienced brokers decay slower)",
                                            value=ASSUMPTION,
                                            description="Same for strong unreinforced ties, which decay slower.")
    strong_tie_weight: float = param(0.5, ge=0.0, le=1.0, unit="weight", concept=DESIGN, value=ASSUMPTION,
                                     description="Tie weight from which a tie counts as strong.")
    new_tie_weight: float = param(0.2, ge=0.01, le=1.0, unit="weight", concept=DESIGN, value=ASSUMPTION,
                                  description="Weight of a tie formed by an ordinary meeting.")
    reinforcement: float = param(0.3, ge=0.0, le=1.0, unit="share of gap", concept=DESIGN, value=ASSUMPTION,
                                 description="How far shared activity moves a tie's weight toward 1.")
    weight_decay: float = param(0.05, ge=0.0, le=1.0, unit="per month", concept="Burt 2002 (unreinforced ties decay)",
                                value=ASSUMPTION, description="Monthly loss of weight of an unreinforced tie.")
    structure_metrics_every: int = param(6, ge=1, le=120, unit="months", concept=DESIGN, value=SETTING,
                                         description="How often clustering and the largest component are "
                                                     "measured (carried forward in between; they are costly).")


class LearningParams(Section):
    forgetting_half_life: float = param(11.0, ge=0.5, le=600.0, unit="months",
                                        concept="Arthur et al. 1998 (skill decay with non-use)",
                                        value=("Tatel & Ackerman (Psychological Bulletin, doi 10.1037/bul0000481): "
                                               "half the gain lost after about 11 months for mixed measures (6.5 "
                                               "accuracy, 13 speed)"),
                                        checked=True, description="Half-life of unpractised capacity gains.")
    manager_support_weight: float = param(0.5, ge=0.0, le=1.0, unit="share",
                                          concept="Baldwin & Ford 1988; Blume et al. 2010 (support and transfer)",
                                          value=ASSUMPTION,
                                          description="Weight of manager support (vs openness) in transfer.")
    org_learning_rate: float = param(0.05, ge=0.0, le=1.0, unit="per month",
                                     concept="March 1991 (p2: the code learns from its members)", value=ASSUMPTION,
                                     description="How fast an organization's practice moves toward what its "
                                                 "members apply at work.")
    socialization_rate: float = param(0.02, ge=0.0, le=1.0, unit="per month",
                                      concept="March 1991 (p1: members learn from the code)", value=ASSUMPTION,
                                      description="How fast members learn from their organization's practice.")
    learning_by_doing: float = param(0.01, ge=0.0, le=1.0, unit="per month", concept=LLC_NEW_MINDSET, value=ASSUMPTION,
                                     description="Monthly gain toward full collective capacity of people "
                                                 "acting in a collective initiative.")
    executive_influence: float = param(4.0, ge=1.0, le=100.0, unit="weight", concept=DESIGN, value=ASSUMPTION,
                                       description="Weight of an executive in organizational learning "
                                                   "(manager: its square root; staff: 1).")
    leader_support: float = param(1.5, ge=0.0, le=10.0, unit="transfer per unit of leader competence",
                                  concept="MIT L2L; Blume et al. 2010 (support and transfer)", value=ASSUMPTION,
                                  description="How much a unit leader's competence above the average leader's "
                                              "raises their team's transfer factor (and slows the fading of "
                                              "its engagement by the same factor).")
    self_support: float = param(0.3, ge=0.0, le=10.0, unit="transfer per unit of own leader competence",
                                concept="Blume et al. 2010; Grossman & Salas 2011 (opportunity to perform)",
                                value=ASSUMPTION,
                                description="How much a leader's own competence above the average leader's "
                                            "raises their own transfer factor (held to l2l.transfer_vs_learning).")
    code_learning: str = param("weighted_mean", pattern="^(weighted_mean|superior_group)$", unit="switch",
                               concept="March 1991 (structural switch)", value=SETTING,
                               description="What an organization's practice learns from: the influence-weighted "
                                           "mean of all members' applied capacity (weighted_mean), or only of "
                                           "members whose applied capacity, summed over the dimensions, beats the "
                                           "practice (superior_group: March's superior group).")
    socialization: str = param("upward", pattern="^(upward|toward_code)$", unit="switch",
                               concept="March 1991 (structural switch)", value=SETTING,
                               description="How members learn from their organization's practice: only where it "
                                           "is above them (upward), or toward it either way, losing what it lacks "
                                           "(toward_code: March's socialization).")
    fast_learner_share: float = param(0.0, ge=0.0, le=1.0, unit="share", concept="March 1991",
                                      value=ASSUMPTION,
                                      description="Share of people (a seeded draw per person) socialised at "
                                                  "fast_socialization_rate instead of socialization_rate.")
    fast_socialization_rate: float = param(0.2, ge=0.0, le=1.0, unit="per month",
                                           concept="March 1991", value=ASSUMPTION,
                                           description="Socialization rate of the fast learners.")
    settling_months: int = param(120, ge=0, le=1200, unit="months",
                                 concept="March 1991 (mutual learning settles at an equilibrium knowledge)",
                                 value=("measured: after 120 months of learning and forgetting alone "
                                        "organizations' practice moves by under 0.01% a month "
                                        "(docs/validation.md, 'The baseline at rest')"),
                                 description="Months of organizational learning, socialisation and forgetting "
                                             "(steps 2-3 of the month, nothing else) the organizations have "
                                             "behind them at month 0, so that their practice starts at the "
                                             "balance those processes keep rather than at their members' mean; "
                                             "0 starts it at the members' mean.")


class EngagementParams(Section):
    engaged_threshold: float = param(0.5, ge=0.01, le=0.99, unit="0-1", concept=DESIGN, value=ASSUMPTION,
                                     description="Engagement level from which a person counts as engaged.")
    contagion_threshold: int = param(2, ge=1, le=20, unit="engaged contacts",
                                     concept="Centola 2010 (complex contagion)", value=ASSUMPTION,
                                     description="Engaged contacts a person needs before engagement spreads to "
                                                 "them (complex contagion; 1 = simple contagion).")
    adoption_probability: float = param(0.15, ge=0.0, le=1.0, unit="per month",
                                        concept="Centola 2010 (complex contagion)", value=ASSUMPTION,
                                        description="Monthly chance of climbing when enough contacts are engaged.")
    climb: float = param(0.3, ge=0.0, le=1.0, unit="0-1", concept=LLC_PUSHING, value=ASSUMPTION,
                         description="Rise in engagement on one rung of the engagement ladder.")
    spontaneous_rate: float = param(0.01, ge=0.0, le=1.0, unit="per month", concept=DESIGN, value=ASSUMPTION,
                                    description="Monthly chance of climbing a rung without engaged contacts "
                                                "(events, media, a personal reason).")
    engagement_decay: float = param(0.063, ge=0.0, le=1.0, unit="per month", concept=DESIGN,
                                    value=("set so that business as usual holds the engaged share inside the "
                                           "CPS volunteering range (evidence id community.engaged_share; measured "
                                           "in docs/validation.md)"),
                                    description="Monthly loss of engagement, scaled by (1 - purpose).")
    purpose_influence: float = param(0.03, ge=0.0, le=1.0, unit="per month",
                                     concept="DeGroot 1974 (consensus by averaging)", value=ASSUMPTION,
                                     description="How far purpose moves toward the tie-weighted mean of contacts.")


class InitiativeParams(Section):
    founding_rate: float = param(0.02, ge=0.0, le=1.0, unit="per eligible person per month", concept=LLC_NEW_MINDSET,
                                 value=ASSUMPTION,
                                 description="Chance an engaged, aligned person tries to start an initiative, "
                                             "scaled by their organizing capacity.")
    min_purpose: float = param(0.5, ge=0.0, le=1.0, unit="0-1", concept=LLC_NEW_MINDSET, value=ASSUMPTION,
                               description="Purpose alignment needed to found or join an initiative.")
    min_members: int = param(3, ge=2, le=1000, unit="people", concept=DESIGN, value=ASSUMPTION,
                             description="People (founder plus connected recruits) needed to form.")
    max_members: int = param(30, ge=2, le=10_000, unit="people", concept=DESIGN, value=ASSUMPTION,
                             description="Largest founding group.")
    initial_momentum: float = param(0.3, ge=0.0, le=10.0, unit="momentum", concept=DESIGN, value=ASSUMPTION,
                                    description="Momentum at founding.")
    momentum_gain: float = param(0.25, ge=0.0, le=10.0, unit="per month", concept=DESIGN, value=ASSUMPTION,
                                 description="How strongly capability above difficulty adds momentum.")
    difficulty: float = param(0.35, ge=0.0, le=1.0, unit="0-1", concept=LLC_NEW_MINDSET, value=ASSUMPTION,
                              description="Capability an initiative needs to hold its momentum.")
    momentum_noise: float = param(0.05, ge=0.0, le=5.0, unit="sd per month", concept=DESIGN, value=ASSUMPTION,
                                  description="Month-to-month shocks to momentum.")
    attention_loss: float = param(0.06, ge=0.0, le=10.0, unit="momentum per month", concept=LLC_LEADING_EDGE,
                                  value=("set so that, with members as active as HCAP's (evidence id "
                                         "initiatives.active_members), funded initiatives survive their funded "
                                         "period at the CTC/PROSPER rate (initiatives.survive_funded_period, "
                                         "at least 0.85): 0.06 gives 0.865, 0.07 and 0.08 0.853 (20 seeds); "
                                         "docs/validation.md"),
                                  description="Momentum lost per month when members' attention (engagement) is "
                                              "zero; scaled by (1 - mean member engagement).")
    core_size: int = param(3, ge=1, le=100, unit="people", concept=LLC_NEW_MINDSET, value=ASSUMPTION,
                           description="Members whose capacities set the group's capability on each dimension "
                                       "(the mean of its strongest few).")
    senior_buy_in: float = param(0.1, ge=0.0, le=2.0, unit="capability", concept=LLC_LEADING_EDGE, value=ASSUMPTION,
                                 description="Capability added when all members are managers or executives "
                                             "(scaled by their share).")
    member_engagement_boost: float = param(0.0, ge=0.0, le=1.0, unit="per month", concept=LLC_NEW_MINDSET,
                                           value=("NORC for ASPE 2012 (HCAP: 74-79% of coalition members "
                                                  "active; evidence id initiatives.active_members): the "
                                                  "contagion among members alone keeps them 0.75 engaged after "
                                                  "funding, any boost raises it (0.005: 0.80; 0.05: 0.99)"),
                                           description="Engagement members gain each month from acting together.")
    max_momentum: float = param(2.0, ge=0.1, le=100.0, unit="momentum", concept=DESIGN, value=ASSUMPTION,
                                description="Ceiling on momentum; growth slows as momentum nears it (logistic), "
                                            "and an initiative acts with momentum / ceiling.")
    recruitment: float = param(0.5, ge=0.0, le=1.0, unit="per month",
                               concept="Foster-Fishman et al. 2001 (coalitions recruit and retain members)",
                               value=ASSUMPTION,
                               description="Chance a month that an initiative below its goal size (its founding "
                                           "group, and those who joined while its programme ran) fills its "
                                           "vacancies from its members' engaged, aligned, free contacts.")
    difficulty_spread: float = param(0.2, ge=0.0, le=1.0, unit="sd of difficulty",
                                     concept=COALITIONS, value=ASSUMPTION,
                                     description="How much initiatives' problems differ in difficulty (each "
                                                 "draws its own around `difficulty`, within 0-1).")
    lifetime_months: float = param(96.0, ge=1.0, le=1200.0, unit="months",
                                   concept=COALITIONS, value=ASSUMPTION,
                                   description="Typical months of work until an initiative completes (each "
                                               "draws between half and one and a half times this).")
    funded_support: float = param(0.15, ge=0.0, le=2.0, unit="capability", concept=COALITIONS, value=ASSUMPTION,
                                  description="Capability a launching programme adds to its initiatives while it "
                                              "funds them (a coordinator, facilitation, technical assistance); "
                                              "it ends with the funding.")
    funding_loss: float = param(0.01, ge=0.0, le=10.0, unit="momentum per month",
                                concept="Feinberg et al. 2008 (post-funding termination)", value=ASSUMPTION,
                                description="Momentum lost each month once the programme that launched an "
                                            "initiative stops supporting it (post-funding fade).")
    sponsorship: float = param(0.5, ge=0.0, le=10.0, unit="relative change per sd of leader competence",
                               concept=MIT_L2L, value=ASSUMPTION,
                               description="How much an organization's leaders' competence above the average "
                                           "raises its chance of adopting an initiative (they sponsor and "
                                           "unblock it).")
    member_reach: float = param(1.0, ge=0.0, le=1.0, unit="switch (0-1)", concept=DESIGN, value=ASSUMPTION,
                                description="Structural switch: 1 = initiatives act on a sector's lever through "
                                            "their members directly as well as through adopting organizations; "
                                            "0 = only through adopting organizations; values between weight the "
                                            "members' direct channel (so studies can sample it).")
    impact: float = param(0.3, ge=0.0, le=1.0, unit="lever at full exposure", concept=LLC_NEW_MINDSET,
                          value=ASSUMPTION,
                          description="A sector's collective lever part if all its people were reached by "
                                      "initiatives at full momentum and applied all of it (scaled by each "
                                      "person's saturated exposure and transfer factor).")
    adoption_ties: int = param(3, ge=1, le=100, unit="ties",
                               concept="Centola 2010; Rogers 2003 (adoption needs several ties)", value=ASSUMPTION,
                               description="Position-weighted ties from an initiative into an organization "
                                           "needed before the organization may adopt it.")
    adoption_probability: float = param(0.1, ge=0.0, le=1.0, unit="per month",
                                        concept="Rogers 2003 (diffusion of innovations)", value=ASSUMPTION,
                                        description="Monthly chance an exposed organization adopts.")
    scaled_orgs: int = param(5, ge=1, le=10_000, unit="organizations", concept=DESIGN, value=SETTING,
                             description="Adopting organizations from which an initiative counts as scaled.")


class CommunityParams(Section):
    complementarity: float = param(0.5, ge=0.0, le=0.99, unit="0-1", concept=LLC_NEW_MINDSET, value=ASSUMPTION,
                                   description="How much the sector levers need each other: 0 = substitutes, "
                                               "0.5 = Cobb-Douglas, near 1 = weakest link (CES rho = "
                                               "1 - c/(1-c)).")
    inertia_months: float = param(24.0, ge=1.0, le=600.0, unit="months", concept=DESIGN, value=ASSUMPTION,
                                  description="Time constant with which the result follows its levers.")
    org_lever_weight: float = param(1.0, ge=0.0, le=10.0, unit="lever per practice", concept=LLC_NEW_MINDSET,
                                    value=ASSUMPTION,
                                    description="How much a sector's organizational practice feeds its lever.")


class TurnoverParams(Section):
    monthly_rate: float = param(0.02, ge=0.0, le=0.5, unit="per month", concept="BLS JOLTS (job separations)",
                                value=("BLS JOLTS: total nonfarm separations 3.3-3.6% of employment a month in the "
                                       "2009-10 releases (checked); government and state and local education run "
                                       "lower (unchecked); 2% for a community's mix of public, nonprofit and private "
                                       "employers is an assumption inside that range"),
                                description="Monthly chance a staff member or resident leaves (replaced).")
    leader_monthly_rate: float = param(0.011, ge=0.0, le=0.5, unit="per month",
                                       concept="Cornelius, Moyers & Bell 2011 (Daring to Lead: executive turnover)",
                                       value=("Cornelius et al. 2011: 31% of executive directors have held the post "
                                              "under 3 years and 27% 10 years or more, both about 11-12% leaving a "
                                              "year at a constant hazard (a derivation); Kaplan & Minton 2012: 15.8% "
                                              "a year for large-company CEOs. The 67% who plan to leave within five "
                                              "years is a plan, not a rate"),
                                       checked=True,
                                       description="Monthly chance a manager or executive leaves (replaced).")
    shock_month: int | None = param(None, ge=0, unit="month", concept=DESIGN, value=SETTING,
                                    description="Month of a key-leader departure shock (or none).")
    shock_share: float = param(0.0, ge=0.0, le=1.0, unit="share", concept=DESIGN, value=SETTING,
                               description="Share of the shock's target group that leaves at once.")
    shock_target: str = param("executives", pattern="^(executives|most_connected|trained)$", unit="choice",
                              concept=DESIGN, value=SETTING,
                              description="Who leaves in the shock: executives, most_connected or trained.")


class InterventionSpec(BaseModel):
    """One intervention in a scenario: its registered type and its parameters (validated by the type's class)."""

    model_config = ConfigDict(extra="forbid")
    type: str = Field(description="Registered intervention name (see `leadsim interventions`).")
    label: str | None = Field(None, description="Name used in outputs; defaults to the type.")
    budget_share: float | None = Field(None, ge=0.0, le=1.0, allow_inf_nan=False,
                                       description="Share of the scenario budget (default: an equal split).")
    params: dict[str, Any] = Field(default_factory=dict, description="The intervention's own parameters.")

    @property
    def name(self) -> str:
        return self.label or self.type


class Scenario(Section):
    """Everything a run needs. Build it in Python, load it from YAML, or vary it by dotted paths.

    >>> s = Scenario(name="demo", population={"people": 500}, months=12)
    >>> s.population.people, s.community.complementarity
    (500, 0.5)
    """

    name: str = param("baseline", min_length=1, max_length=200, unit="text", concept=DESIGN, value=SETTING,
                      description="Scenario name used in outputs.")
    description: str = param("", max_length=20_000, unit="text", concept=DESIGN, value=SETTING,
                             description="Free text shown in results.")
    months: int = param(60, ge=1, le=1200, unit="months", concept=DESIGN, value=SETTING,
                        description="Horizon; one step is one month.")
    replications: int = param(1, ge=1, le=100_000, unit="runs", concept=DESIGN, value=SETTING,
                              description="Replications (seeds) to run.")
    seed: int = param(0, ge=0, le=2**63 - 1, unit="seed", concept=DESIGN, value=SETTING,
                      description="Base seed; replication r uses seed + r.")
    budget: float | None = param(None, ge=0.0, le=1e13, allow_inf_nan=False, unit="currency over the horizon",
                                 concept=DESIGN, value=SETTING,
                                 description="Total money the interventions share over the horizon (currency). "
                                             "None: unbudgeted - each intervention's `participants` sets its size.")
    population: PopulationParams = Field(default_factory=PopulationParams)
    network: NetworkParams = Field(default_factory=NetworkParams)
    learning: LearningParams = Field(default_factory=LearningParams)
    engagement: EngagementParams = Field(default_factory=EngagementParams)
    initiatives: InitiativeParams = Field(default_factory=InitiativeParams)
    community: CommunityParams = Field(default_factory=CommunityParams)
    turnover: TurnoverParams = Field(default_factory=TurnoverParams)
    interventions: list[InterventionSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_consistency(self) -> Scenario:
        if self.population.org_size_max < self.population.org_size_min:
            raise ValueError("population.org_size_max must be at least population.org_size_min")
        if self.initiatives.max_members < self.initiatives.min_members:
            raise ValueError("initiatives.max_members must be at least initiatives.min_members")
        shares = [i.budget_share for i in self.interventions if i.budget_share is not None]
        if sum(shares) > 1.0 + 1e-9:
            raise ValueError(f"intervention budget_share values add up to {sum(shares):.3f}; at most 1 is allowed")
        names = [i.name for i in self.interventions]
        if len(set(names)) != len(names):
            raise ValueError("two interventions share a name: give one of them a distinct `label`")
        return self

    # ----------------------------------------------------------------------------------------------------------
    def budget_of(self, spec: InterventionSpec) -> float | None:
        """The money an intervention may spend: its share, or an equal split of what no share claims.

        None when the scenario has no budget: the intervention is then sized by its ``participants``.
        """
        if self.budget is None:
            return None
        if spec.budget_share is not None:
            return self.budget * spec.budget_share
        claimed = sum(i.budget_share for i in self.interventions if i.budget_share is not None)
        unshared = [i for i in self.interventions if i.budget_share is None]
        return self.budget * max(0.0, 1.0 - claimed) / max(1, len(unshared))

    def with_values(self, values: dict[str, Any]) -> Scenario:
        """A copy with dotted paths set, validated: ``s.with_values({"community.complementarity": 0.9})``.

        A path may reach into an intervention's parameters: ``"interventions.0.params.cohort_size"``.
        """
        data = self.model_dump()
        for path, value in values.items():
            set_path(data, path, value)
        return Scenario.model_validate(data)

    def content_hash(self) -> str:
        """A stable hash of the resolved scenario (replications and seed excluded: they select runs)."""
        data = self.model_dump(mode="json", exclude={"replications", "seed"})
        text = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def resolve_path(data: dict[str, Any], path: str) -> str | None:
    """A dotted path with an intervention named by its label (or type) turned into its index, or None when the
    scenario has no intervention of that name: ``interventions.individual_training.params.effect_size`` ->
    ``interventions.0.params.effect_size``. Other paths are returned as they are.

    Why: a study compares levers with different interventions; an uncertainty about training's effect size applies
    to the levers that train and leaves the others alone.
    """
    keys = path.split(".")
    if len(keys) < 2 or keys[0] != "interventions" or keys[1].isdigit():
        return path
    for i, spec in enumerate(data.get("interventions") or []):
        if isinstance(spec, dict) and (spec.get("label") or spec.get("type")) == keys[1]:
            return ".".join(["interventions", str(i), *keys[2:]])
    return None


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``value`` at a dotted ``path`` inside nested dicts and lists, refusing paths that do not exist."""
    keys = path.split(".")
    node: Any = data
    for depth, key in enumerate(keys):
        last = depth == len(keys) - 1
        if isinstance(node, list):
            if not key.isdigit() or int(key) >= len(node):
                raise KeyError(f"{path!r}: {key!r} is not an index of a list of {len(node)}")
            key = int(key)
        elif not isinstance(node, dict) or (key not in node and not (last and _is_params(keys, depth))):
            raise KeyError(f"{path!r}: no field {key!r}")
        if last:
            node[key] = value
        else:
            node = node[key]


def _is_params(keys: list[str], depth: int) -> bool:
    """Intervention params are free-form until the intervention validates them, so new keys may be set."""
    return depth >= 1 and keys[depth - 1] == "params"
