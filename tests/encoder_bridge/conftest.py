import json
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "lean4"
if not SHARED.exists():  # a checkout with shared/ inside it
    SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "lean4"


def lean_states(limit: int | None = None) -> list[str]:
    """Real Lean 4 states: LeanDojo Benchmark 4 sample (CC BY 2.0) and burn-qed's probe (Apache-2.0)."""
    path = SHARED / "leandojo_b4_sample" / "random_test_sample100.json"
    if not path.exists():
        pytest.skip("shared Lean 4 data not available")
    out = []
    for r in json.loads(path.read_text()):
        for t in r["traced_tactics"]:
            out.append(t["state_before"])
    probe = SHARED / "burnqed_states" / "separation_probe.json"
    out += [r["state_pp"] for r in json.loads(probe.read_text())]
    out = list(dict.fromkeys(out))
    return out[:limit] if limit else out


@pytest.fixture(scope="session")
def minilm():
    from encoder_bridge.encoder import EncoderConfig, HFEncoder

    return HFEncoder(EncoderConfig(batch_size=32))
