-- Propositional declarations of lele-littlebao/formalising-mathematics-2024 @ f5ec6b14c8f48a618a2625830935084a714d42a1 : FormalisingMathematics2024/Section01logic/Sheet5.lean, verbatim.

import Mathlib.Tactic -- imports all the Lean tactics

/-!

# Logic in Lean, example sheet 5 : "iff" (`↔`)

We learn about how to manipulate `P ↔ Q` in Lean.

## Tactics

You'll need to know about the tactics from the previous sheets,
and also the following two new tactics:

* `rfl`
* `rw`
* `apply Iff.intro`
-/

variable (P Q R S : Prop)

example : (P ↔ Q) → (Q ↔ P) := by
  intro pq
  exact pq.symm
  --rw [pq]
  -- 通过重写策略，将P ↔ Q 转换为 Q ↔ P
  -- exact pq.symm
  done

example : (P ↔ Q) ↔ (Q ↔ P) := by
  apply Iff.intro
  -- apply Iff.intro 用来拆分目标为两个方向的证明
  · intro pq
    exact pq.symm
  · intro qp
    exact qp.symm
  done
