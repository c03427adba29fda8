"""scripts/round_noise.py reads a run's kept searches: the validation searches each policy decision read
(at the bonus the run chose) and, for an adopted policy, the test arms, compared theorem by theorem."""

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _script():
    spec = importlib.util.spec_from_file_location("round_noise_script", ROOT / "scripts" / "round_noise.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _search(run: Path, name: str, proofs: dict[str, int | None], n: int = 30) -> None:
    """A finished search's per-theorem rows: theorem -> expansions to its proof (None: unproved)."""
    d = run / name
    d.mkdir(parents=True)
    rows = [{"theorem": f"t{i}", "proved": proofs.get(f"t{i}") is not None,
             "expansions_to_proof": proofs.get(f"t{i}")} for i in range(n)]
    (d / "traj.parquet.theorems.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))


def _run(tmp_path: Path, grid: list[float]) -> Path:
    run = tmp_path / "run"
    steps = {"iter1.policy_keep": {"adopted": True, "kept_from": 0},
             "iter2.policy_keep": {"adopted": False, "kept_from": 1}}
    heuristic = {f"t{i}": 3 for i in range(10)}
    lm1 = {f"t{i}": 3 for i in range(4, 16)}  # 6 only it solves, 4 only the heuristic
    if grid:
        steps["eval_heuristic_db1"] = {}
        _search(run, "valid/policy_db0", {})
        _search(run, "valid/policy_db1", heuristic)
        _search(run, "valid/policy_r1_db0", lm1)
        _search(run, "valid/policy_r1_db1", {**lm1, "t29": 25})  # beyond the largest budget: not solved
        _search(run, "valid/policy_r2_db0", {f"t{i}": 1 for i in range(20)})  # the chosen bonus
        _search(run, "valid/policy_r2_db1", {})
        _search(run, "eval_heuristic_db1", {f"t{i}": 1 for i in range(8)})
    else:
        _search(run, "valid/policy", heuristic)
        _search(run, "valid/policy_r1", lm1)
        _search(run, "valid/policy_r2", {f"t{i}": 1 for i in range(20)})
        _search(run, "eval_policy", {f"t{i}": 1 for i in range(8)})
    _search(run, "eval_policy_r1", {f"t{i}": 1 for i in range(5)})
    steps["iter3.policy_keep"] = {"adopted": True, "kept_from": 1}  # adopted alone, refused with its head
    (run / "iter3").mkdir()
    (run / "iter3" / "policy_round.json").write_text(json.dumps({"policy": {"adopted": False}}))
    _search(run, f"valid/policy_r3{'_db0' if grid else ''}", {"t0": 1})
    if grid:
        _search(run, "valid/policy_r3_db1", {})
    config = {"iterate": {"budgets": [3, 20]}, "policy": {"depth_bonus_grid": grid}}
    (run / "manifest.json").write_text(json.dumps({"config": config, "steps": steps}))
    return run


def test_paired_counts_per_decision(tmp_path, capsys, monkeypatch):
    for grid in ([], [0.0, 1.0]):
        run = _run(tmp_path / str(len(grid)), grid)
        monkeypatch.setattr("sys.argv", ["round_noise.py", str(run)])
        assert _script().main() == 0
        out = capsys.readouterr().out
        r1 = next(line for line in out.splitlines() if "round 1" in line)
        r2 = next(line for line in out.splitlines() if "round 2" in line)
        # validation: the LM 12 vs the heuristic 10, 6 only the LM, 4 only the heuristic: z = 2 / √10
        assert "adopted" in r1 and "validation  12 vs  10  b  6  c  4  z +0.63" in r1, out
        # test: the adopted LM's arm 5 against the heuristic's 8
        assert "test   5 vs   8  b  0  c  3  z -1.73" in r1, out
        # a refused candidate has no test arm; it is compared at the bonus the run chose for it (0: 20 solved)
        assert "refused" in r2 and "validation  20 vs  12  b  8  c  0" in r2 and "test" not in r2, out
        r3 = next(line for line in out.splitlines() if "round 3" in line)
        assert "refused with its head" in r3 and "validation   1 vs  12" in r3 and "test" not in r3, out


def test_not_a_run_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("sys.argv", ["round_noise.py", str(tmp_path)])
    assert _script().main() == 2
    assert capsys.readouterr().err.strip().count("\n") == 0
