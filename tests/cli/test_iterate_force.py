"""`qed iterate --force` reaches the policy rounds (adopting a policy that collapses the separation probe);
without a learned policy it is a one-line usage error that creates nothing."""

from click.testing import CliRunner
from qedjax_cli.main import qed


def test_force_reaches_the_policy_rounds_and_is_refused_without_them(tmp_path, monkeypatch):
    import qedjax.app.iterate as iterate_mod

    seen = {}

    def fake_run_iterate(cfg, workdir, **kw):
        seen.update(kw, train=cfg.policy.train)
        return {"iterations": [], "budgets": [20], "policy_only": [], "references": {}, "seconds": {},
                "policy_learning": True}

    monkeypatch.setattr(iterate_mod, "run_iterate", fake_run_iterate)
    cfg = tmp_path / "p.toml"
    cfg.write_text("[policy]\ntrain = true\n")
    res = CliRunner().invoke(qed, ["iterate", "--config", str(cfg), "--workdir", str(tmp_path / "w"), "--force"])
    assert res.exit_code == 0, res.output
    assert seen["force"] is True and seen["train"] is True
    res = CliRunner().invoke(qed, ["iterate", "--workdir", str(tmp_path / "x"), "--force"])
    assert res.exit_code == 2 and "--force applies" in res.output and len(res.output.strip().splitlines()) == 1
    assert not (tmp_path / "x" / "manifest.json").exists()
