"""Search results → trajectory records (burn-qed labelling) and eval summaries (no torch, no jax).

Labelling: nodes on the found proof path are ``positive`` with ``remaining_depth`` = steps to QED
(0 at the terminal row, whose ``state_pp`` is ``""``); every other node is ``negative`` with
``remaining_depth`` −1. An unproved theorem's nodes are all negative. ``ebm_score`` is null when a
node was not scored (never a 0.0 or −1e6 sentinel). ``visits`` is 1 for a node best-first expanded and 0
otherwise; a PUCT tree records its visit counts (> 0 exactly for the expanded nodes) and ``q_value``,
the mean value backed up through the node (null when never visited), as burn-qed v2 does.
"""

from __future__ import annotations

from typing import Callable

from qedjax.search.tree import SearchResult


def to_records(result: SearchResult, oracle: Callable | None = None) -> list[dict]:
    path = result.proof_path()
    on_path = {nid: len(path) - 1 - i for i, nid in enumerate(path)}
    records = []
    for n in result.nodes:
        positive = n.id in on_path
        provable = None
        if oracle is not None:
            provable = True if n.terminal else bool(oracle(n.state))
        records.append(dict(
            theorem_name=result.theorem, state_id=n.id, state_pp=n.pp, tactic_applied=n.tactic,
            parent_state_id=n.parent, label="positive" if positive else "negative",
            depth_from_root=n.depth, remaining_depth=on_path.get(n.id, -1),
            llm_log_prob=float(n.log_prob), ebm_score=n.value, is_proof_complete=n.terminal,
            timestamp_ms=n.created_ms, q_value=n.q_value,
            visits=(1 if n.expanded else 0) if n.visits is None else n.visits,
            num_goals=0 if n.terminal else n.state.num_goals, oracle_provable=provable,
        ))
    return records


def theorem_row(result: SearchResult, extra: dict | None = None) -> dict:
    """One per-theorem row of an eval JSON (burn-qed IterationResult style)."""
    s = result.stats
    row = {
        "theorem": result.theorem, "proved": result.proved, "proof": result.proof,
        "proof_length": len(result.proof) if result.proved else None,
        "nodes_expanded": s.expanded, "nodes_generated": s.generated,
        "expansions_to_proof": s.expanded if result.proved else None,
        "wall_time_ms": int(s.total_s * 1000), "failure_reason": result.failure_reason,
    }
    if extra:
        row.update(extra)
    return row
