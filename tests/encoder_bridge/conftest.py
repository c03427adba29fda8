import json
from pathlib import Path

import pytest

from tests.conftest import shared_lean4

VENDORED = Path(__file__).resolve().parents[1] / "data" / "lean4_states"


def lean_data() -> tuple[Path, Path, int]:
    """(burn-qed's separation probe, a LeanDojo Benchmark 4 sample, its number of records): the shared
    data folder when present, else the vendored slice (tests/data/lean4_states/SOURCE.md)."""
    try:
        shared = shared_lean4()
        return (shared / "burnqed_states" / "separation_probe.json",
                shared / "leandojo_b4_sample" / "random_test_sample100.json", 100)
    except pytest.skip.Exception:
        return VENDORED / "separation_probe.json", VENDORED / "leandojo_b4_sample_head25.json", 25


def lean_states(limit: int | None = None) -> list[str]:
    """Real Lean 4 states: LeanDojo Benchmark 4 sample (CC BY 2.0) and burn-qed's probe (Apache-2.0)."""
    probe, path, _ = lean_data()
    out = []
    for r in json.loads(path.read_text()):
        for t in r["traced_tactics"]:
            out.append(t["state_before"])
    out += [r["state_pp"] for r in json.loads(probe.read_text())]
    out = list(dict.fromkeys(out))
    return out[:limit] if limit else out


@pytest.fixture(scope="session")
def minilm():
    from encoder_bridge.encoder import EncoderConfig, HFEncoder

    return HFEncoder(EncoderConfig(batch_size=32, dtype="float32"))
