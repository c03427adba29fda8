#!/usr/bin/env python3
"""How much real Lean 4 `prop` accepts, and that it never accepts what Lean rejects.

Runs `qed prop check`'s checker on the vendored corpus of real propositional Lean 4 proofs
(tests/data/prop_corpus, sources and licence in its SOURCES.md), prints per file how many declarations
are accepted as written, then the hand-made wrong variants (all must be rejected), then every real
proof script against up to 8 false variants of its own statement (atoms swapped, a connective or a
negation changed, a hypothesis dropped; kept only when the truth-table oracle says they are false).

    python scripts/prop_corpus.py [--corpus DIR] [--allow-tauto] [--auto-implicit]

`--auto-implicit` checks the files as a project whose lakefile leaves Lean's `autoImplicit` on (its
default): unbound lower-case names in headers become implicit propositions, as in `qed prop check
--auto-implicit`.

A declaration right after a line `-- context (not counted): NAME` (written by `scripts/prop_extract.py
--seen` before a declaration another set holds that later proofs of the file cite) is checked, so that
the file runs as written, but counted neither among the accepted nor in the total, and gets no false
variant.
"""

from __future__ import annotations

import argparse
import platform
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTEXT_MARK = "-- context (not counted):"


def context_indices(text: str, results) -> set[int]:
    """Indices in ``results`` of the declarations that a ``CONTEXT_MARK`` line names right before them."""
    out: set[int] = set()
    for n, line in enumerate(text.splitlines(), start=1):
        if line.startswith(CONTEXT_MARK):
            name = line[len(CONTEXT_MARK):].strip()
            j = next((j for j, r in enumerate(results) if r.line > n), None)
            if j is not None and results[j].name == name:
                out.add(j)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "tests" / "data" / "prop_corpus")
    ap.add_argument("--allow-tauto", action="store_true",
                    help="accept Mathlib's `tauto` as Lean does (prop disables it unless asked: it decides "
                         "any propositional goal, so a search must not get it)")
    ap.add_argument("--auto-implicit", action="store_true",
                    help="the project leaves Lean's autoImplicit option on (default: not known)")
    args = ap.parse_args()
    tauto = args.allow_tauto
    opts = {"allow_tauto": tauto, "auto_implicit": True if args.auto_implicit else None}

    import qedjax
    from qedjax.envs.prop.check import check_lean_text
    from qedjax.envs.prop.variants import false_variants

    real = sorted(p for p in args.corpus.glob("*.lean") if p.name != "wrong_variants.lean")
    if not real:
        print(f"error: no .lean files in {args.corpus}", file=sys.stderr)
        return 2
    print(f"python {platform.python_version()} | qedjax {qedjax.__version__} | corpus {args.corpus.name}"
          f"{' | tauto allowed' if tauto else ''}{' | autoImplicit on' if args.auto_implicit else ''}\n")
    print(f"{'file':<32}{'accepted':>10}{'of':>6}   first rejection")
    t0 = time.perf_counter()
    total = accepted = n_context = context_ok = 0
    repeated: dict[Path, set] = {}  # names two declarations of a file share (theorems of two namespaces)
    context: dict[Path, set] = {}  # names of the file's context declarations (checked, not counted)
    for path in real:
        text = path.read_text(encoding="utf-8")
        results, diags = check_lean_text(text, **opts)
        names = [r.name for r in results]
        repeated[path] = {n for n in names if names.count(n) > 1}
        ctx = context_indices(text, results)
        context[path] = {results[j].name for j in ctx}
        n_context, context_ok = n_context + len(ctx), context_ok + sum(results[j].proved for j in ctx)
        results = [r for j, r in enumerate(results) if j not in ctx]
        ok = sum(r.proved for r in results)
        total, accepted = total + len(results), accepted + ok
        why = next((f"line {r.diagnostics[0].line}: {r.diagnostics[0].message}"
                    for r in results if not r.proved and r.diagnostics), "")
        print(f"{path.name:<32}{ok:>10}{len(results):>6}   {str(why)[:90]}")
    print(f"{'real proofs accepted as written':<32}{accepted:>10}{total:>6}   ({100 * accepted / max(total, 1):.1f}%)")
    if n_context:
        print(f"{'context, checked, not counted':<32}{context_ok:>10}{n_context:>6}   "
              f"(declarations a seen set holds that later proofs cite)")

    wrong = args.corpus / "wrong_variants.lean"
    if wrong.exists():
        results, _ = check_lean_text(wrong.read_text(encoding="utf-8"), **opts)
        bad = [r.name for r in results if r.proved]
        print(f"{'wrong variants accepted':<32}{len(bad):>10}{len(results):>6}   {'; '.join(bad)[:90]}")

    # a false variant is told from its declaration by the declaration's name: declarations whose name
    # another one of the file shares are left out (a variant of one would be credited to both)
    tried = wrongly = 0
    # a file that declares an axiom proves what the axiom makes provable, as Lean does, false statements
    # included (TPIL's `axiom hp : p`): its false-variant runs are left out
    left_out = sum(len(repeated[p]) for p in real)
    with_axioms = [p for p in real if re.search(r"^axiom\s", p.read_text(encoding="utf-8"), re.MULTILINE)]
    for path in real:
        if path in with_axioms:
            continue
        text = path.read_text(encoding="utf-8")
        for k in range(8):
            mutated = {}

            def transform(label, goal, k=k, mutated=mutated, skip=context[path]):
                if label in skip:  # a context declaration keeps its statement
                    return goal
                cands = false_variants(goal)
                if k < len(cands):
                    mutated[label] = cands[k]
                    return cands[k]
                return goal
            results, _ = check_lean_text(text, goal_transform=transform, **opts)
            for r in results:
                if r.name in mutated and r.name not in repeated[path]:
                    tried += 1
                    wrongly += bool(r.proved)
    note = f"; {left_out} names shared by two declarations left out" if left_out else ""
    note += f"; {len(with_axioms)} files with axioms left out" if with_axioms else ""
    print(f"{'false statements proved':<32}{wrongly:>10}{tried:>6}   (real proof scripts on false variants{note})")
    print(f"\n{time.perf_counter() - t0:.1f} s")
    return 1 if wrongly or (wrong.exists() and bad) else 0


if __name__ == "__main__":
    sys.exit(main())
