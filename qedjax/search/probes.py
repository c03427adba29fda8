"""Probe tactics: tried at a fixed low log-prob on every expansion (in the spirit of burn-qed's 17)."""

# Lean 4 / Mathlib closers and normalisers.
LEAN_PROBE_TACTICS = (
    "simp", "simp_all", "ring", "linarith", "nlinarith", "omega", "norm_num", "decide", "trivial",
    "rfl", "tauto", "positivity", "aesop", "field_simp", "push_neg", "contradiction", "assumption",
)
# The subset meaningful to the embedded prop environment.
PROP_PROBE_TACTICS = (
    "intro", "intros", "constructor", "left", "right", "assumption", "contradiction", "trivial",
    "exfalso", "rfl", "decide", "by_contra h", "tauto",
)
