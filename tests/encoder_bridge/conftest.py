import json

import pytest

from tests.conftest import shared_lean4


def lean_states(limit: int | None = None) -> list[str]:
    """Real Lean 4 states: LeanDojo Benchmark 4 sample (CC BY 2.0) and burn-qed's probe (Apache-2.0)."""
    shared = shared_lean4()
    path = shared / "leandojo_b4_sample" / "random_test_sample100.json"
    out = []
    for r in json.loads(path.read_text()):
        for t in r["traced_tactics"]:
            out.append(t["state_before"])
    probe = shared / "burnqed_states" / "separation_probe.json"
    out += [r["state_pp"] for r in json.loads(probe.read_text())]
    out = list(dict.fromkeys(out))
    return out[:limit] if limit else out


@pytest.fixture(scope="session")
def minilm():
    from encoder_bridge.encoder import EncoderConfig, HFEncoder

    return HFEncoder(EncoderConfig(batch_size=32))
