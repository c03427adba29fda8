"""The policy's configuration (``configs/policy.toml``): frozen dataclasses, strict keys, no torch."""

from __future__ import annotations

import dataclasses
import os

from encoder_bridge.policy.prompt import get_policy_template
from qedjax.config import load_toml, setting

ARCHS = ("llama", "gpt2")
MAX_THREADS = 4096  # torch CPU threads at most (torch keeps the count in a C int)


@dataclasses.dataclass(frozen=True)
class ModelConfig:
    """A model created from scratch by ``qed policy init`` (a few million parameters on a CPU)."""

    arch: str = "llama"  # llama | gpt2
    hidden_size: int = 128
    num_layers: int = 4
    num_heads: int = 4
    intermediate_size: int = 512  # MLP width (llama: gated; gpt2: n_inner)
    max_positions: int = 512
    tie_embeddings: bool = True

    def validate(self) -> None:
        if self.arch not in ARCHS:
            raise ValueError(f"arch must be one of {', '.join(ARCHS)}")
        for name in ("hidden_size", "num_layers", "num_heads", "intermediate_size", "max_positions"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1")
        if self.hidden_size % self.num_heads or (self.hidden_size // self.num_heads) % 2:
            raise ValueError("hidden_size must be num_heads × an even head size")


@dataclasses.dataclass(frozen=True)
class TokenizerConfig:
    """``bpe``: byte-level BPE fitted on states and tactics (merges may span spaces, so frequent
    hypotheses and whole tactics become single tokens); ``byte``: the 256 bytes alone. Both
    round-trip any Unicode text."""

    kind: str = "bpe"  # bpe | byte
    vocab_size: int = 512  # bpe: bytes + special tokens + merges
    max_token_length: int = 8  # bpe: longest merged token, in characters

    def validate(self) -> None:
        if self.kind not in ("bpe", "byte"):
            raise ValueError("kind must be bpe or byte")
        if self.kind == "bpe" and self.vocab_size < 300:
            raise ValueError("vocab_size must be >= 300 (256 bytes, special tokens and some merges)")
        if self.max_token_length < 1:
            raise ValueError("max_token_length must be >= 1")


@dataclasses.dataclass(frozen=True)
class PromptConfig:
    template: str = "state-tactic"  # see encoder_bridge/policy/prompt.py (a checkpoint's own wins)
    bos: bool = True
    end: str = "eos"  # eos | newline

    def validate(self) -> None:
        get_policy_template(self.template)  # an unknown template: refused when the config is read
        if self.end not in ("eos", "newline"):
            raise ValueError("end must be eos or newline")


@dataclasses.dataclass(frozen=True)
class LoraConfig:
    """burn-qed's preset: r 32, alpha 64, every attention and MLP projection, dropout 0.05."""

    r: int = 32
    alpha: float = 64.0
    dropout: float = 0.05
    target_modules: str = "all-linear"  # peft's name for every Linear but the output head, or "a, b, c"

    def validate(self) -> None:
        if self.r < 1 or self.alpha <= 0 or not 0 <= self.dropout < 1:
            raise ValueError("r >= 1, alpha > 0 and 0 <= dropout < 1")
        if not any(t.strip() for t in self.target_modules.split(",")):
            raise ValueError("target_modules names no module (all-linear, or names separated by commas)")


@dataclasses.dataclass(frozen=True)
class TrainConfig:
    method: str = "full"  # full | lora
    epochs: float = 15.0  # passes over the training pairs (steps = 0)
    steps: int = 0  # optimizer steps; 0 = from epochs
    batch_size: int = 64
    lr: float = 2e-3
    warmup_steps: int = 50  # linear warmup, then cosine to lr × min_lr_ratio
    min_lr_ratio: float = 0.0
    weight_decay: float = 0.01
    clip_norm: float = 1.0
    valid_fraction: float = 0.1  # of theorems (the split is by theorem)
    max_valid_pairs: int = 512  # validation loss and top-1 accuracy over at most this many pairs
    eval_every: int = 0  # steps between validations; 0 = at every epoch's end
    checkpoint_every: int = 100  # steps between resumable train-state checkpoints
    seed: int = 0
    device: str = "auto"  # auto | cpu | cuda
    threads: int = setting(0, ge=0, le=MAX_THREADS)  # torch CPU threads; 0 = torch's default

    def validate(self) -> None:
        if self.method not in ("full", "lora"):
            raise ValueError("method must be full or lora")
        if self.epochs <= 0 and self.steps <= 0:
            raise ValueError("epochs or steps must be > 0")
        if self.steps < 0 or self.batch_size < 1 or self.warmup_steps < 0 or self.checkpoint_every < 1:
            raise ValueError("steps >= 0, batch_size >= 1, warmup_steps >= 0, checkpoint_every >= 1")
        if self.lr <= 0 or self.weight_decay < 0 or self.clip_norm <= 0 or not 0 <= self.min_lr_ratio <= 1:
            raise ValueError("lr > 0, weight_decay >= 0, clip_norm > 0, 0 <= min_lr_ratio <= 1")
        if not 0 <= self.valid_fraction < 1 or self.max_valid_pairs < 1 or self.eval_every < 0:
            raise ValueError("0 <= valid_fraction < 1, max_valid_pairs >= 1, eval_every >= 0")
        if self.device not in ("auto", "cpu", "cuda") or self.threads < 0:
            raise ValueError("device must be auto, cpu or cuda; threads >= 0")


@dataclasses.dataclass(frozen=True)
class SampleConfig:
    """How search draws tactics: N beams or samples per state (N = the engine's num_candidates ×
    oversample) continue one shared prefill; the model's own log-probs (temperature 1) score them.
    Beam search is the default: 8 samples of a prop state repeat its likely tactics (~2 distinct),
    8 beams are 8 distinct ones, and the round-0 LM solved 176 vs 133 test theorems at budget 20 with
    them (scripts/policy_round0.py)."""

    decode: str = "beam"  # beam: the N most likely tactics (beam search); sample: N samples per state
    temperature: float = 1.0  # sampling only; scores are the model's log-probs at temperature 1
    top_p: float = 1.0
    oversample: float = 1.0  # samples per state = ceil(num_candidates × oversample); ≤ num_candidates kept
    max_new_tokens: int = 32
    max_prompt_tokens: int = 448  # longer prompts keep their last tokens (the goal is at the end)
    batch_rows: int = 2048  # sampled rows (states × samples) decoded together at most
    memo_size: int = 65536  # states whose candidates are remembered (they depend on seed and state only)
    dtype: str = "float32"  # float32 | bfloat16 | float16
    device: str = "auto"
    threads: int = setting(0, ge=0, le=MAX_THREADS)  # torch CPU threads while sampling; 0 = torch's default
    # (a model this small often runs as fast on one thread, and a busy machine wastes less)

    def validate(self) -> None:
        if self.threads < 0:
            raise ValueError("threads must be >= 0")
        if self.decode not in ("sample", "beam"):
            raise ValueError("decode must be sample or beam")
        if self.temperature <= 0 or not 0 < self.top_p <= 1 or self.oversample < 1:
            raise ValueError("temperature > 0, 0 < top_p <= 1, oversample >= 1")
        if self.max_new_tokens < 1 or self.max_prompt_tokens < 8 or self.batch_rows < 1 or self.memo_size < 0:
            raise ValueError("max_new_tokens >= 1, max_prompt_tokens >= 8, batch_rows >= 1, memo_size >= 0")
        if self.dtype not in ("float32", "bfloat16", "float16") or self.device not in ("auto", "cpu", "cuda"):
            raise ValueError("dtype float32/bfloat16/float16, device auto/cpu/cuda")


@dataclasses.dataclass(frozen=True)
class PolicyConfig:
    model: ModelConfig = ModelConfig()
    tokenizer: TokenizerConfig = TokenizerConfig()
    prompt: PromptConfig = PromptConfig()
    train: TrainConfig = TrainConfig()
    lora: LoraConfig = LoraConfig()
    sample: SampleConfig = SampleConfig()
    seed: int = 0  # weight initialisation

    def memory_needed(self) -> tuple[str, float]:
        """A lower bound on the bytes training and sampling take (float32; checked by the config loader,
        so that sizes that cannot fit are refused before a model is built)."""
        m, t, s = self.model, self.train, self.sample
        vocab = max(self.tokenizer.vocab_size, 256)
        params = vocab * m.hidden_size * (1 if m.tie_embeddings else 2) + m.num_layers * (
            4 * m.hidden_size ** 2 + 3 * m.hidden_size * m.intermediate_size)
        terms = [
            ("the model's weights and optimizer state (model sizes)", 16.0 * params),
            ("one training batch (train.batch_size × model.max_positions activations)",
             4.0 * 4 * t.batch_size * m.max_positions * m.hidden_size * m.num_layers),
            ("one sampling call (sample.batch_rows rows of sample.max_new_tokens key/value cache)",
             4.0 * 2 * s.batch_rows * s.max_new_tokens * m.hidden_size * m.num_layers),
        ]
        return max(terms, key=lambda x: x[1])[0], sum(b for _, b in terms)


def load_policy_config(path: str | os.PathLike | None) -> PolicyConfig:
    return load_toml(PolicyConfig, path)
