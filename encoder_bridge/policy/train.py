"""Supervised fine-tuning of the policy on (state, tactic) pairs: full, or LoRA through ``peft``.

* The loss is the mean cross-entropy over the tactic's tokens and its end token only (the prompt's
  labels are masked); AdamW (weight decay on matrices only), linear warmup then cosine decay, global
  gradient-norm clipping.
* Validation (pairs of held-out theorems): the loss, and top-1 tactic accuracy: the share of pairs whose
  every target token is the model's argmax given the ones before, i.e. greedy decoding yields exactly
  the tactic and stops.
* Resumable exactly: every ``checkpoint_every`` steps ``OUTPUT/train_state`` holds the trainable weights,
  the optimizer, the schedule, the step, torch's RNG state and the tokenizer; batches are a function of
  (seed, epoch), so a resumed run takes the same batches and reaches the same weights. A resume whose
  config, data or starting model differ is refused.
* The result is a plain model directory (LoRA merged into the weights) with its prompt format recorded,
  which search loads like any other.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import pickle
import time
from pathlib import Path
from typing import Callable

import numpy as np
from tqdm import tqdm

from encoder_bridge.encoder import resolve_device
from encoder_bridge.policy.config import PolicyConfig
from encoder_bridge.policy.data import PolicyData
from encoder_bridge.policy.model import create_model, load_policy, parameter_count, save_policy
from encoder_bridge.policy.prompt import PromptFormat, prompt_ids, tactic_ids
from encoder_bridge.policy.tokenizer import fit_tokenizer
from qedjax.config import to_dict
from qedjax.errors import ConfigError, DataError
from qedjax.seeds import derive

STATE_DIR = "train_state"


@dataclasses.dataclass
class Example:
    ids: list[int]
    labels: list[int]  # -100 on the prompt


def build_examples(pairs, tokenizer, fmt: PromptFormat, max_prompt: int) -> list[Example]:
    out = []
    for p in pairs:
        prompt = prompt_ids(tokenizer, fmt, p.state, max_prompt)
        target = tactic_ids(tokenizer, fmt, p.tactic)
        out.append(Example(prompt + target, [-100] * len(prompt) + target))
    return out


def collate(examples: list[Example], pad: int):
    import torch

    width = max(len(e.ids) for e in examples)
    ids = torch.full((len(examples), width), pad, dtype=torch.long)
    labels = torch.full((len(examples), width), -100, dtype=torch.long)
    mask = torch.zeros((len(examples), width), dtype=torch.long)
    for r, e in enumerate(examples):  # right padding: positions start at 0 for every row
        ids[r, :len(e.ids)] = torch.tensor(e.ids)
        labels[r, :len(e.labels)] = torch.tensor(e.labels)
        mask[r, :len(e.ids)] = 1
    return ids, mask, labels


def token_losses(model, ids, mask, labels):
    """Per-row (summed loss over target tokens, target tokens, all targets argmax)."""
    import torch

    logits = model(input_ids=ids, attention_mask=mask).logits[:, :-1].float()
    target = labels[:, 1:]
    valid = target != -100
    lp = torch.log_softmax(logits, dim=-1)
    safe = target.clamp(min=0)
    nll = -lp.gather(-1, safe[..., None])[..., 0] * valid
    hit = (logits.argmax(-1) == safe) | ~valid
    return nll.sum(1), valid.sum(1), hit.all(1)


def warmup_cosine(step: int, warmup: int, total: int, min_ratio: float) -> float:
    if warmup and step < warmup:
        return (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return min_ratio + (1 - min_ratio) * 0.5 * (1 + math.cos(math.pi * progress))


def evaluate(model, examples: list[Example], pad: int, batch_size: int) -> dict:
    import torch

    if not examples:
        return {"loss": None, "top1": None, "pairs": 0}
    was_training = model.training
    model.eval()
    nll = tokens = hits = 0.0
    with torch.no_grad():
        for start in range(0, len(examples), batch_size):
            ids, mask, labels = collate(examples[start:start + batch_size], pad)
            dev = next(model.parameters()).device
            s, n, h = token_losses(model, ids.to(dev), mask.to(dev), labels.to(dev))
            nll += float(s.sum())
            tokens += float(n.sum())
            hits += float(h.sum())
    model.train(was_training)
    return {"loss": nll / max(tokens, 1), "top1": hits / len(examples), "pairs": len(examples)}


def epoch_batches(lengths: np.ndarray, batch_size: int, seed: int, pool: int = 16) -> list[np.ndarray]:
    """One epoch's batches, a function of (lengths, batch_size, seed) alone (exact resume): a seeded
    permutation cut into pools of ``pool`` batches, each pool sorted by length before it is cut into
    batches (less padding: prop pairs range from 6 to 60 tokens), then the batches shuffled."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(lengths))
    batches = []
    for start in range(0, len(order), pool * batch_size):
        chunk = order[start:start + pool * batch_size]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches += [chunk[k:k + batch_size] for k in range(0, len(chunk), batch_size)]
    return [batches[k] for k in rng.permutation(len(batches))]


def data_hash(data: PolicyData) -> str:
    h = hashlib.sha256()
    for side, pairs in (("train", data.train), ("valid", data.valid)):
        for p in pairs:
            h.update(json.dumps([side, p.state, p.tactic, p.theorem], ensure_ascii=False).encode())
    return h.hexdigest()[:32]


def _start(config: PolicyConfig, data: PolicyData, init: str | None, device: str, state_dir: Path | None):
    """(model, tokenizer, format, base identity): a fresh model fitted on the training pairs, or the
    ``init`` model; a resumed run reuses the tokenizer it saved."""
    cfg_fmt = PromptFormat(**dataclasses.asdict(config.prompt))
    cfg_fmt.validate()
    if init is None:
        if state_dir is not None and (state_dir / "tokenizer").is_dir():
            from transformers import AutoTokenizer

            tokenizer = AutoTokenizer.from_pretrained(state_dir / "tokenizer")
        else:
            tokenizer = fit_tokenizer([t for p in data.train for t in (p.state, p.tactic)], config.tokenizer)
        model = create_model(config.model, tokenizer, config.seed).to(device)
        base = {"model": "scratch", "model_config": to_dict(config.model), "tokenizer": to_dict(config.tokenizer),
                "seed": config.seed}
        return model, tokenizer, cfg_fmt, base
    default_prompt = config.prompt == type(config.prompt)()
    loaded = load_policy(init, template=None if default_prompt else config.prompt.template, device=device)
    fmt = loaded.format if loaded.record is not None else cfg_fmt
    if loaded.record is not None and not default_prompt and fmt != cfg_fmt:
        raise ConfigError(f"{init} was trained with prompt format {fmt.record()}; the config asks for "
                          f"{cfg_fmt.record()}")
    return loaded.model, loaded.tokenizer, fmt, loaded.identity


def train_policy(data: PolicyData, output: str | Path, config: PolicyConfig, *, init: str | None = None,
                 resume: bool = False, progress: bool = True, log: Callable[[str], None] = print,
                 stop_after: int | None = None) -> dict:
    """Fine-tune (or train from scratch) on ``data``; write the model directory ``output``; return the
    record. ``stop_after`` ends the run after that many steps (checkpointed; tests resume from it)."""
    import torch

    tc = config.train
    output = Path(output).absolute()
    state_dir = output / STATE_DIR
    device = resolve_device(tc.device)
    if tc.threads:
        torch.set_num_threads(tc.threads)
    identity = {"config": to_dict(config), "init": init, "data": data_hash(data)}
    saved = None
    if resume:
        meta_path = state_dir / "meta.json"
        if not meta_path.is_file():
            raise DataError(f"{output}: nothing to resume (no {STATE_DIR}/meta.json)")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as e:
            raise DataError(f"{meta_path}: unreadable training state ({e}); train into a new --output") from None
        if not isinstance(meta, dict):
            raise DataError(f"{meta_path}: not a training state; train into a new --output")
        if meta.get("identity") != identity:
            saved_identity = meta.get("identity") if isinstance(meta.get("identity"), dict) else {}
            diff = [k for k in identity if saved_identity.get(k) != identity[k]]
            raise ConfigError(f"{output}: its training used another {' and '.join(diff)}; resume it with the "
                              "same config, trajectories and --init, or train into a new --output")
        try:
            saved = torch.load(state_dir / "state.pt", map_location=device, weights_only=True)
        except FileNotFoundError:
            raise DataError(f"{state_dir}: no state.pt; nothing to resume, train into a new --output") from None
        except (RuntimeError, EOFError, ValueError, pickle.UnpicklingError) as e:
            raise DataError(f"{state_dir / 'state.pt'}: unreadable training state "
                            f"({str(e).splitlines()[0] if str(e) else type(e).__name__}); "
                            "train into a new --output") from None
    model, tokenizer, fmt, base = _start(config, data, init, device, state_dir if resume else None)
    if tc.method == "lora":
        try:
            from peft import LoraConfig, get_peft_model
        except ImportError:
            raise ConfigError("[train] method = \"lora\" needs the peft package (the 'policy' "
                              "extra: pip install -e \".[policy]\"), or use method = \"full\"") from None

        lc = config.lora
        targets = lc.target_modules if lc.target_modules == "all-linear" else [
            t.strip() for t in lc.target_modules.split(",") if t.strip()]
        torch.manual_seed(derive(tc.seed, "lora-init"))
        model = get_peft_model(model, LoraConfig(r=lc.r, lora_alpha=lc.alpha, lora_dropout=lc.dropout,
                                                 target_modules=targets, task_type="CAUSAL_LM"))
    model.train()
    limit = getattr(model.config, "max_position_embeddings", None) or getattr(model.config, "n_positions", 512)
    max_prompt = max(8, min(config.sample.max_prompt_tokens, int(limit) - config.sample.max_new_tokens))
    train_ex = build_examples(data.train, tokenizer, fmt, max_prompt)
    valid_ex = build_examples(data.valid[:tc.max_valid_pairs], tokenizer, fmt, max_prompt)
    too_long = sum(len(e.ids) > int(limit) for e in train_ex)
    if too_long:
        raise DataError(f"{too_long} training pairs are longer than the model's {limit} positions "
                        "(a tactic of more than max_new_tokens tokens?)")
    n = len(train_ex)
    per_epoch = math.ceil(n / tc.batch_size)
    total = tc.steps or max(1, math.ceil(tc.epochs * per_epoch))
    trainable = [(name, p) for name, p in model.named_parameters() if p.requires_grad]
    decay = [p for _, p in trainable if p.ndim >= 2]
    no_decay = [p for _, p in trainable if p.ndim < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": tc.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=tc.lr)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: warmup_cosine(s, tc.warmup_steps, total, tc.min_lr_ratio))
    history: list[dict] = []
    step = 0
    seconds = 0.0
    if saved is not None:
        names = dict(trainable)
        with torch.no_grad():
            for k, v in saved["trainable"].items():
                names[k].copy_(v)
        opt.load_state_dict(saved["optimizer"])
        sched.load_state_dict(saved["scheduler"])
        step, history, seconds = int(saved["step"]), list(json.loads(saved["history"])), float(saved["seconds"])
        torch.set_rng_state(saved["rng"].cpu())
        log(f"resumed at step {step}/{total}")
    else:
        torch.manual_seed(derive(tc.seed, "policy-train"))
    log(f"{'LoRA' if tc.method == 'lora' else 'full'} fine-tuning of {parameter_count(model):,} parameters "
        f"({sum(p.numel() for _, p in trainable):,} trainable) on {n} pairs, {len(valid_ex)} validation pairs; "
        f"{total} steps of {tc.batch_size} on {device}")

    def checkpoint() -> None:
        state_dir.mkdir(parents=True, exist_ok=True)
        if init is None and not (state_dir / "tokenizer").is_dir():
            tokenizer.save_pretrained(state_dir / "tokenizer")
        payload = {"trainable": {k: p.detach().clone() for k, p in trainable}, "optimizer": opt.state_dict(),
                   "scheduler": sched.state_dict(), "step": step, "history": json.dumps(history),
                   "seconds": seconds, "rng": torch.get_rng_state()}
        tmp = state_dir / "state.pt.tmp"
        torch.save(payload, tmp)
        tmp.replace(state_dir / "state.pt")
        (state_dir / "meta.json").write_text(json.dumps({"identity": identity, "step": step}, indent=1),
                                             encoding="utf-8")

    def validate() -> None:
        v = evaluate(model, valid_ex, tokenizer.pad_token_id, 2 * tc.batch_size)
        history.append({"step": step, **v})
        if v["loss"] is not None:
            log(f"step {step}/{total}: validation loss {v['loss']:.4f}, top-1 tactic accuracy {100 * v['top1']:.1f}% "
                f"({v['pairs']} pairs)")

    eval_every = tc.eval_every or per_epoch
    lengths = np.array([len(e.ids) for e in train_ex])
    bar = None
    if progress:
        bar = tqdm(total=total, initial=step, desc="train-policy", unit="step", leave=False)
    pad = tokenizer.pad_token_id
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    try:
        while step < total:
            epoch, i = divmod(step, per_epoch)
            batch = [train_ex[j] for j in epoch_batches(lengths, tc.batch_size, derive(tc.seed, "policy-epoch", epoch))[i]]
            ids, mask, labels = (x.to(device) for x in collate(batch, pad))
            loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_([p for _, p in trainable], tc.clip_norm)
            opt.step()
            sched.step()
            step += 1
            if bar is not None:
                bar.update(1)
                bar.set_postfix(loss=f"{float(loss):.3f}")
            if step % eval_every == 0 or step == total:
                validate()
            if step % tc.checkpoint_every == 0 or step == total or step == stop_after:
                seconds_now = seconds + time.perf_counter() - t0
                seconds, t0 = seconds_now, time.perf_counter()
                checkpoint()
            if stop_after is not None and step >= stop_after and step < total:
                return {"stopped_at": step}
    finally:
        if bar is not None:
            bar.close()
    seconds += time.perf_counter() - t0
    if tc.method == "lora":
        model = model.merge_and_unload()
    model.eval()
    record = {"format": fmt.record(), "base": base, "made_by": "train-policy",
              "train": {"method": tc.method, "steps": step, "seconds": seconds, "pairs": n,
                        "cpu_seconds_this_run": time.process_time() - cpu0, "device": device,
                        "threads": torch.get_num_threads(),
                        "config": to_dict(config.train), "lora": to_dict(config.lora) if tc.method == "lora" else None,
                        "data": data.stats, "data_sha256": identity["data"], "history": history,
                        "final_valid": history[-1] if history else None}}
    save_policy(output, model, tokenizer, record)
    return record
