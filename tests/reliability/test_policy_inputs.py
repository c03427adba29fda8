"""Bad inputs of the tactic LM's commands (``qed policy init``, ``qed train-policy``): output folders
named by nothing, an output that is the model being read, a damaged training state, settings this
machine cannot honour. Each is one ``error:`` line, exit 2, and every file left as it was."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.encoder_bridge.test_policy import TINY_TOML

from .conftest import assert_refused, assert_unchanged, qed_run, snapshot


@pytest.fixture(scope="module")
def policy_files(tmp_path_factory):
    """A small heuristic search's trajectories, a tiny policy config, and a model trained from it for
    two steps (its resumable training state inside)."""
    d = tmp_path_factory.mktemp("policy_inputs")
    traj, cfg, model = d / "traj.parquet", d / "tiny.toml", d / "trained"
    cfg.write_text(TINY_TOML)
    run = qed_run("search", "--split", "train", "--max-theorems", "12", "--max-nodes", "12", "--quiet",
                  "--output", traj)
    assert run.code == 0, run.text
    run = qed_run("train-policy", "--trajectories", traj, "--config", cfg, "--steps", "2", "--quiet",
                  "--output", model)
    assert run.code == 0, run.text
    return {"traj": traj, "cfg": cfg, "model": model}


def _train(files, output, *extra):
    return qed_run("train-policy", "--trajectories", files["traj"], "--config", files["cfg"], "--steps", "2",
                   "--quiet", "--output", output, *extra)


@pytest.mark.parametrize("command", [["policy", "init"], ["train-policy"]])
def test_an_empty_output_folder_name(tmp_path, policy_files, command, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = ["--trajectories", policy_files["traj"], "--config", policy_files["cfg"]]
    assert_refused(qed_run(*command, "--output", "", *args), "--output", "empty")
    assert not any(tmp_path.iterdir())


def test_the_current_folder_as_an_output_is_locked_by_its_own_name(tmp_path, policy_files, monkeypatch):
    """``--output .`` names the current folder: its lock sits beside it, under the folder's name."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    bad = tmp_path / "bad.toml"
    bad.write_text(TINY_TOML.replace("hidden_size = 32", "hidden_size = -1"))
    assert_refused(qed_run("policy", "init", "--output", ".", "--config", bad,
                           "--trajectories", policy_files["traj"]), "hidden_size")
    run = qed_run("policy", "init", "--output", ".", "--config", policy_files["cfg"],
                  "--trajectories", policy_files["traj"])
    assert run.code == 0, run.text
    assert (work / "config.json").is_file() and not (tmp_path / ".work.lock").exists()


@pytest.mark.parametrize("where", ["same", "same-absolute", "parent"])
def test_a_fine_tune_never_replaces_the_model_it_starts_from(tmp_path, policy_files, where, monkeypatch):
    model = tmp_path / "out" / "model" if where == "parent" else tmp_path / "model"
    shutil.copytree(policy_files["model"], model)
    output = {"same": model.relative_to(tmp_path), "same-absolute": model, "parent": tmp_path / "out"}[where]
    before = snapshot(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert_refused(_train(policy_files, output, "--init", model, "--overwrite"), "--init", "another directory")
    assert_unchanged(tmp_path, before)


def _damage(model, part):
    state = model / "train_state"
    if part == "meta-not-json":
        (state / "meta.json").write_text("{garbage")
    elif part == "meta-a-list":
        (state / "meta.json").write_text("[1, 2]")
    elif part == "meta-identity-a-list":
        (state / "meta.json").write_text(json.dumps({"identity": [1]}))
    elif part == "state-garbage":
        (state / "state.pt").write_bytes(b"not a torch file")
    elif part == "state-truncated":
        (state / "state.pt").write_bytes((state / "state.pt").read_bytes()[:200])
    elif part == "state-missing":
        (state / "state.pt").unlink()


@pytest.mark.parametrize("part, fragment", [
    ("meta-not-json", "meta.json"), ("meta-a-list", "meta.json"), ("meta-identity-a-list", "another"),
    ("state-garbage", "state.pt"), ("state-truncated", "state.pt"), ("state-missing", "state.pt"),
])
def test_a_damaged_training_state_is_refused_on_resume(tmp_path, policy_files, part, fragment):
    model = tmp_path / "model"
    shutil.copytree(policy_files["model"], model)
    _damage(model, part)
    before = snapshot(tmp_path)
    assert_refused(_train(policy_files, model, "--resume"), fragment)
    assert_unchanged(tmp_path, before)


def _cuda() -> bool:
    import torch

    return torch.cuda.is_available()


def _peft() -> bool:
    import importlib.util

    return importlib.util.find_spec("peft") is not None


@pytest.mark.parametrize("edit, fragment, skip", [
    (("[train]", "[train]\nthreads = 100000000000"), "train.threads", None),
    (("[train]", "[sample]\nthreads = 5000\n[train]"), "sample.threads", None),
    (('device = "cpu"', 'device = "cuda"'), "cuda", _cuda),
    (("[train]", '[train]\nmethod = "lora"'), "peft", _peft),
    (("[train]", '[lora]\ntarget_modules = " , "\n[train]'), "target_modules", None),
])
def test_settings_this_machine_cannot_honour(tmp_path, policy_files, edit, fragment, skip):
    if skip is not None and skip():
        pytest.skip("this machine can honour it")
    cfg = tmp_path / "policy.toml"
    cfg.write_text(TINY_TOML.replace(*edit))
    run = qed_run("train-policy", "--trajectories", policy_files["traj"], "--config", cfg, "--steps", "1",
                  "--quiet", "--output", tmp_path / "out", "--init", policy_files["model"])
    assert_refused(run, fragment)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("extra, fragment, skip", [
    ("[policy]\nfeature_layers = [-100]\n", "feature_layers [-100]", None),
    ("[policy.lm.model]\nnum_layers = 2\n[policy]\nfeature_layers = [3]\n", "2 layers", None),
    ('[policy]\nhard_theorems = "{dir}/hard.json"\n', "not UTF-8", None),
    ('[policy]\nhard_theorems = "{dir}/only_train.json"\n', "split 'test'", None),
    ('[policy.lm.sample]\ndevice = "cuda"\n', "[policy.lm.sample]", _cuda),
    ('[policy.lm.train]\ndevice = "cuda"\n', "[policy.lm.train]", _cuda),
    ('[policy.lm.train]\nmethod = "lora"\n', "peft", _peft),
    ('[policy.lm.prompt]\ntemplate = "nope"\n', "unknown policy template 'nope'", None),
])
def test_iterate_refuses_before_its_searches_what_a_learned_policy_meets_later(tmp_path, extra, fragment, skip):
    """Feature layers, the hard tier's file, peft, CUDA and the LM's prompt template are first used after
    round 1's searches: they are checked when the config is read."""
    if skip is not None and skip():
        pytest.skip("this machine can honour it")
    from pathlib import Path

    (tmp_path / "hard.json").write_bytes(b"\xff\xfe not a theorem file")
    (tmp_path / "only_train.json").write_text(json.dumps({"theorems": [
        {"name": "a", "statement": "theorem a (p : Prop) : p → p", "split": "train"}]}))
    shipped = Path(__file__).resolve().parents[2] / "configs" / "iterate_policy.toml"  # [policy] train = true
    cfg = tmp_path / "iterate.toml"
    cfg.write_text(f'base = "{shipped.as_posix()}"\n' + extra.replace("{dir}", tmp_path.as_posix()))
    from qedjax.app.iterate_config import load_iterate_config
    from qedjax.errors import ConfigError

    with pytest.raises(ConfigError) as refused:  # the loader: a regression fails here, not hours later
        load_iterate_config(cfg)
    assert fragment in str(refused.value)
    before = snapshot(tmp_path)
    assert_refused(qed_run("iterate", "--workdir", tmp_path / "wd", "--config", cfg), fragment)
    assert_unchanged(tmp_path, before)


@pytest.mark.parametrize("edit, fragment", [
    ({"hidden_size": "x"}, "hidden_size"),  # a field of the wrong type (huggingface_hub's validation error)
    ({"vocab_size": 10}, "sizes its config.json names"),  # weights of another shape than the config says
])
def test_a_model_config_that_cannot_describe_its_weights(tmp_path, policy_files, edit, fragment):
    model = tmp_path / "model"
    shutil.copytree(policy_files["model"], model)
    cfg = json.loads((model / "config.json").read_text())
    (model / "config.json").write_text(json.dumps({**cfg, **edit}))
    before = snapshot(tmp_path)
    run = qed_run("search", "--policy", "hf", "--hf-model", model, "--max-theorems", "1", "--max-nodes", "2",
                  "--quiet", "--output", tmp_path / "out.parquet")
    assert_refused(run, "cannot load", fragment)
    assert_unchanged(tmp_path, before)


@pytest.mark.parametrize("part", ["tokenizer.json", "model.safetensors"])
def test_a_model_directory_without_one_of_its_files_names_it(tmp_path, policy_files, part):
    model = tmp_path / "model"
    shutil.copytree(policy_files["model"], model)
    (model / part).unlink()
    before = snapshot(tmp_path)
    run = qed_run("search", "--policy", "hf", "--hf-model", model, "--max-theorems", "1", "--max-nodes", "2",
                  "--quiet", "--output", tmp_path / "out.parquet")
    assert_refused(run, "cannot load", part)
    assert_unchanged(tmp_path, before)


def _probe_states(n, label=lambda i: "positive" if i % 2 else "negative"):
    return json.dumps([{"state_pp": f"p{i} ⊢ q", "label": label(i)} for i in range(n)])


@pytest.mark.parametrize("states, extra, fragment", [
    (_probe_states(20, lambda i: "Positive" if i == 7 else ("positive" if i % 2 else "negative")), [],
     "record #8 has label 'Positive'"),
    (_probe_states(20, lambda i: 1.0 if i % 2 else 0.0), [], "record #1 has label 0.0"),
    (_probe_states(4), [], "at least 10"),
    (_probe_states(20), ["--max-states", "100000000000000000000"], "64 bits"),
])
def test_separation_probe_states_it_cannot_label_or_fold(tmp_path, policy_files, states, extra, fragment):
    path = tmp_path / "states.json"
    path.write_text(states)
    before = snapshot(tmp_path)
    assert_refused(qed_run("separation-probe", "--states", path, "--model", policy_files["model"], *extra),
                   fragment)
    assert_unchanged(tmp_path, before)


def test_separation_probe_reads_both_spellings_of_each_label(tmp_path, policy_files):
    path = tmp_path / "states.json"
    path.write_text(_probe_states(20, lambda i: ["positive", "negative", True, False, 1, 0, "provable",
                                                 "unprovable"][i % 8]))
    run = qed_run("separation-probe", "--states", path, "--model", policy_files["model"], "--json")
    assert run.code == 0, run.text
    m = json.loads(run.out)
    assert (m["n_positive"], m["n_negative"]) == (10, 10)


def test_a_search_whose_policy_never_answers_is_an_error(tmp_path, monkeypatch):
    """Every policy call failed (a model that cannot sample, memory): the search and the eval are
    written and kept, and end in one error line with exit 2 instead of a warning and exit 0; a policy
    that fails only sometimes is still a warning."""
    from qedjax.envs.prop.policy import HeuristicPolicy

    real, calls = HeuristicPolicy.propose, []

    def broken(self, states, n):
        calls.append(len(states))
        if mode == "always" or len(calls) % 2:
            raise RuntimeError("CUDA out of memory")
        return real(self, states, n)

    monkeypatch.setattr(HeuristicPolicy, "propose", broken)
    common = ("--split", "test", "--max-theorems", "3", "--max-nodes", "4", "--quiet")
    mode = "always"
    traj, ev = tmp_path / "t.parquet", tmp_path / "e.json"
    for args, written in ((("search", *common, "--output", traj), traj),
                          (("eval", *common, "--budgets", "2,4", "--output", ev), ev)):
        run = qed_run(*args)
        assert_refused(run, "the policy failed on every one of its", "nothing was searched")
        assert "warning" not in run.err and written.exists()
    mode = "sometimes"
    run = qed_run("search", *common, "--output", tmp_path / "t2.parquet")
    assert run.code == 0 and "warning: the policy failed" in run.err, run.text
