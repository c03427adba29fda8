"""The policy's own hidden states as the value head's features (``encoder.model = "policy"``).

:class:`PolicyEncoder` reads a state as the policy reads it: the policy's prompt (its recorded format,
the same token ids sampling continues from), one forward of the causal LM, and the mean over the
prompt's tokens of the chosen hidden layers (``layers``: indices into the model's hidden states, 0 =
the token embeddings, -1 = the last layer's output), concatenated. It is an encoder like any other:
``encode(texts) -> float32 (N, D)`` and a ``provenance``, which names the policy checkpoint — its
content fingerprint is the ``revision`` — so an embedding cache or a head trained on one checkpoint's
states refuses another checkpoint's (``qedjax.data.embeddings.check_provenance``).

:func:`encoder_from_provenance` rebuilds the encoder a head's provenance names: this one for a policy's
features, :class:`~encoder_bridge.encoder.HFEncoder` otherwise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from encoder_bridge.encoder import HFEncoder
from encoder_bridge.policy.model import load_policy
from encoder_bridge.policy.prompt import prompt_ids
from qedjax.data.embeddings import check_provenance
from qedjax.errors import ConfigError, DataError

KIND = "policy"  # provenance["kind"] of a policy's features
POLICY_MODEL = "policy"  # encoder.model that asks for the kept policy's features


def pooling_name(layers: Sequence[int]) -> str:
    return "mean-layers:" + ",".join(str(int(i)) for i in layers)


class PolicyEncoder:
    """Mean-pooled hidden states of the causal LM in ``model_dir`` (a policy checkpoint)."""

    def __init__(self, model_dir: str | Path, layers: Sequence[int] = (-1,), *, batch_size: int = 256,
                 device: str = "cpu", max_prompt_tokens: int = 448, threads: int = 0):
        import torch

        if not layers:
            raise ConfigError("policy features need at least one hidden layer")
        if threads:
            torch.set_num_threads(threads)
        self.loaded = load_policy(str(model_dir), device=device)
        self.model = self.loaded.model
        for p in self.model.parameters():
            p.requires_grad_(False)
        n_hidden = int(getattr(self.model.config, "num_hidden_layers", 0) or getattr(self.model.config, "n_layer", 0))
        bad = [i for i in layers if not -(n_hidden + 1) <= int(i) <= n_hidden]
        if bad:
            raise ConfigError(f"policy features: layers {bad} out of range for a model with {n_hidden} layers "
                              f"(0 = embeddings, 1..{n_hidden} or -1..-{n_hidden + 1})")
        self.layers = tuple(int(i) for i in layers)
        self.batch_size = batch_size
        self.device = device
        limit = getattr(self.model.config, "max_position_embeddings", None) or getattr(self.model.config,
                                                                                       "n_positions", 512)
        self.max_prompt = max(8, min(max_prompt_tokens, int(limit)))
        self.dim = int(self.model.config.hidden_size) * len(self.layers)
        self.truncated = 0
        self.source = str(Path(model_dir).absolute())

    @property
    def provenance(self) -> dict:
        ident = self.loaded.identity
        # the checkpoint is named by its content (revision), not by its folder: a copy reads the same
        return {"kind": KIND, "model": KIND, "revision": ident["revision"], "dtype": "float32",
                "quantize": "none", "pooling": pooling_name(self.layers), "template": ident["format"]["template"],
                "normalizer": "none", "max_length": self.max_prompt, "dim": self.dim, "source": self.source}

    def _ids(self, states: Sequence[str]) -> list[list[int]]:
        out = []
        for s in states:
            full = prompt_ids(self.loaded.tokenizer, self.loaded.format, s)
            self.truncated += len(full) > self.max_prompt
            out.append(full if len(full) <= self.max_prompt else
                       prompt_ids(self.loaded.tokenizer, self.loaded.format, s, self.max_prompt))
        return out

    def encode(self, states: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """(N, D) float32 C-contiguous features of ``states`` (in order); length-sorted batches."""
        import torch

        ids = self._ids(states)
        out = np.empty((len(states), self.dim), np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        pad = self.loaded.tokenizer.pad_token_id
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                batch = order[start:start + self.batch_size]
                width = max(len(ids[i]) for i in batch)
                input_ids = torch.full((len(batch), width), pad, dtype=torch.long)
                mask = torch.zeros((len(batch), width), dtype=torch.long)
                for r, i in enumerate(batch):  # right padding: positions start at 0 for every row
                    input_ids[r, :len(ids[i])] = torch.tensor(ids[i], dtype=torch.long)
                    mask[r, :len(ids[i])] = 1
                hidden = self.model(input_ids=input_ids.to(self.device), attention_mask=mask.to(self.device),
                                    output_hidden_states=True).hidden_states
                m = mask.to(self.device).unsqueeze(-1).to(torch.float32)
                pooled = [(hidden[k].float() * m).sum(1) / m.sum(1).clamp(min=1.0) for k in self.layers]
                out[batch] = torch.cat(pooled, dim=-1).cpu().numpy()
                if progress is not None:
                    progress(len(batch))
        return np.ascontiguousarray(out)

    @classmethod
    def from_provenance(cls, provenance: dict, **runtime) -> PolicyEncoder:
        """The encoder of a policy-features provenance; refused when the checkpoint at its ``source``
        is no longer the one named (another fine-tune written over it)."""
        source = provenance.get("source")
        if not source or not Path(source).is_dir():
            raise DataError(f"the policy checkpoint whose features the head reads is missing ({source!r})")
        pooling = str(provenance.get("pooling", ""))
        if not pooling.startswith("mean-layers:"):
            raise DataError(f"unknown policy-feature pooling {pooling!r}")
        layers = [int(x) for x in pooling.split(":", 1)[1].split(",")]
        enc = cls(source, layers, max_prompt_tokens=int(provenance.get("max_length", 448)), **runtime)
        check_provenance(provenance, enc.provenance, "policy features rebuilt from the checkpoint")
        return enc


def encoder_from_provenance(provenance: dict | None, **runtime):
    """The encoder a head's provenance names: a policy's features, or a Hugging Face encoder."""
    if provenance and provenance.get("kind") == KIND:
        return PolicyEncoder.from_provenance(provenance, **runtime)
    return HFEncoder.from_provenance(provenance, **runtime)
