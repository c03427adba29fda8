"""One registry of prompt templates and text normalisers (no torch, no jax).

A template turns a proof state into the text an encoder or policy sees. The same template id serves
encoding for training *and* at search time, and it is recorded in every embedding provenance (burn-qed
embedded different strings at train and search time; cosine 0.945). A normaliser maps Lean's unicode
to ASCII for tokenizers that lack the symbols (MiniLM turns ``⊢ ∀ ∃ ℕ`` into ``[UNK]``).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Callable

from qedjax.errors import ConfigError


@dataclasses.dataclass(frozen=True)
class Template:
    id: str
    format: str  # with a single {state} placeholder
    description: str

    def render(self, state: str) -> str:
        return self.format.replace("{state}", state)


TEMPLATES: dict[str, Template] = {t.id: t for t in [
    Template("raw", "{state}", "the pretty-printed proof state as is"),
    Template("deepseek-prover",
             "Complete the following Lean 4 code:\n\n```lean4\n/- tactic state:\n{state}\n-/\n```\n",
             "DeepSeek-Prover chat style: the state as a Lean comment in a closed lean4 code fence"),
    Template("reprover", "[GOAL]{state}[PROOFSTEP]", "ReProver / LeanDojo: [GOAL]state[PROOFSTEP]"),
]}


# Lean symbols → ASCII. Longest keys first so that multi-character sequences win.
_LEAN_ASCII = {
    "⊢": "|-", "∀": "forall", "∃": "exists", "∃!": "exists!", "λ": "fun", "↦": "=>", "→": "->",
    "←": "<-", "↔": "<->", "∧": "/\\", "∨": "\\/", "¬": "not ", "≠": "!=", "≤": "<=", "≥": ">=",
    "<;>": "<;>", "∣": "dvd", "∈": "in", "∉": "notin", "⊆": "subset", "⊂": "ssubset", "∪": "union",
    "∩": "inter", "∅": "emptyset", "×": "x", "•": "smul", "∘": "comp", "⁻¹": "^-1", "√": "sqrt",
    "∑": "sum", "∏": "prod", "∫": "integral", "∞": "infty", "⌊": "floor(", "⌋": ")", "⌈": "ceil(",
    "⌉": ")", "‖": "||", "⟨": "<", "⟩": ">", "⟪": "<<", "⟫": ">>", "↑": "^", "⇑": "^^", "·": ".",
    "✝": "'", "ℕ": "Nat", "ℤ": "Int", "ℚ": "Rat", "ℝ": "Real", "ℂ": "Complex", "π": "pi",
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "eps", "ζ": "zeta", "η": "eta",
    "θ": "theta", "ι": "iota", "κ": "kappa", "μ": "mu", "ν": "nu", "ξ": "xi", "ρ": "rho", "σ": "sigma",
    "τ": "tau", "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega", "Γ": "Gamma", "Δ": "Delta",
    "Θ": "Theta", "Λ": "Lambda", "Σ": "Sigma", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega", "𝕜": "K",
    "≃": "equiv", "≅": "iso", "⊤": "top", "⊥": "bot", "⊓": "inf", "⊔": "sup", "∂": "d", "∇": "nabla",
    "≡": "==", "∼": "~", "≈": "approx", "⋯": "...", "…": "...", "▸": "|>",
    "⦃": "{", "⦄": "}", "⁅": "[", "⁆": "]", "≪": "<<", "≫": ">>", "∗": "*", "⋂": "Inter",
    "⋃": "Union", "⨆": "iSup", "⨅": "iInf", "ᶜ": "^c", "ˣ": "^x", "∆": "symmdiff", "⊗": "tensor",
    "⊕": "oplus", "ℍ": "H", "𝓝": "nhds", "∠": "angle", "≺": "prec", "≼": "preceq", "⊣": "-|",
    "⟶": "-->", "⥤": "=>", "≌": "equiv", "∐": "coprod", "⊞": "boxplus", "⊠": "boxtimes", "ᵒᵈ": "^od",
    "ᵐᵒᵖ": "^mop", "ᵀ": "^T", "†": "^dag", "ℵ": "aleph", "∃ᶠ": "exists_f", "∀ᶠ": "forall_f",
    "∑'": "tsum", "≥ᶠ": ">=f", "≤ᶠ": "<=f", "=ᶠ": "=f", "⟮": "(", "⟯": ")", "∣ᵤ": "dvd",
}
_SUB = str.maketrans("₀₁₂₃₄₅₆₇₈₉ₐₑₒₓᵢⱼₖₗₘₙₚₛₜ", "0123456789aeoxijklmnpst")
_SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_PATTERN = re.compile("|".join(re.escape(k) for k in sorted(_LEAN_ASCII, key=len, reverse=True)))


def lean_ascii(text: str) -> str:
    """Lean unicode → ASCII; subscripts/superscripts → digits; anything left is NFKD-decomposed and
    what is still not ASCII becomes ``?`` (so no character becomes ``[UNK]`` in a WordPiece vocab)."""
    out = _PATTERN.sub(lambda m: _LEAN_ASCII[m.group()], text)
    out = out.translate(_SUB).translate(_SUP)
    if out.isascii():
        return out
    decomposed = unicodedata.normalize("NFKD", out)
    # anything still outside ASCII becomes '?', never an [UNK] token
    return "".join(ch if ch.isascii() else "?" for ch in decomposed if not unicodedata.combining(ch))


# Logical symbols → English words that a sentence encoder's vocabulary knows as words.
_LEAN_WORDS = {"⊢": " proves ", "∧": " and ", "∨": " or ", "→": " implies ", "↔": " iff ",
               "¬": " not ", "✝": " hidden ", "∀": " for all ", "∃": " exists ", "⟨": "(", "⟩": ")"}
_WORDS_PATTERN = re.compile("|".join(re.escape(k) for k in sorted(_LEAN_WORDS, key=len, reverse=True)))


def lean_words(text: str) -> str:
    """Logical symbols as words (``p ∧ q → r`` → ``p and q implies r``; ``⊢`` → ``proves``), lines
    joined with `` ; `` (goals with `` ; next goal ; ``), whitespace collapsed; whatever else is left goes through :func:`lean_ascii`."""
    out = _WORDS_PATTERN.sub(lambda m: _LEAN_WORDS[m.group()], text)
    goals = [" ; ".join(" ".join(ln.split()) for ln in g.split("\n") if ln.strip())
             for g in out.split("\n\n") if g.strip()]
    return lean_ascii(" ; next goal ; ".join(goals))


NORMALIZERS: dict[str, Callable[[str], str]] = {
    "none": lambda s: s,
    "lean-ascii": lean_ascii,
    "lean-words": lean_words,
}


def get_template(template_id: str) -> Template:
    try:
        return TEMPLATES[template_id]
    except KeyError:
        raise ConfigError(f"unknown template '{template_id}' (known: {', '.join(TEMPLATES)})") from None


def get_normalizer(normalizer_id: str) -> Callable[[str], str]:
    try:
        return NORMALIZERS[normalizer_id]
    except KeyError:
        raise ConfigError(f"unknown normaliser '{normalizer_id}' (known: {', '.join(NORMALIZERS)})") from None


def prepare(state: str, template_id: str, normalizer_id: str) -> str:
    """The exact text an encoder sees for ``state`` (normalise first, then render the template)."""
    return get_template(template_id).render(get_normalizer(normalizer_id)(state))
