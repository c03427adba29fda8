"""Model directories: replace_dir swaps a converted model in by renames only, and never leaves no directory."""

import os

import pytest

from encoder_bridge import models
from encoder_bridge.models import replace_dir


def _tree(path):
    return {p.name: p.read_text() for p in path.iterdir()}


def _make(path, **files):
    path.mkdir()
    for name, text in files.items():
        (path / name).write_text(text)
    return path


@pytest.mark.parametrize("exchange", [True, False])
def test_replace_dir_puts_the_new_directory_in_place(tmp_path, exchange):
    new = _make(tmp_path / "new", **{"config.json": "new", "model.safetensors": "w2"})
    dest = _make(tmp_path / "model", **{"config.json": "old"})
    replace_dir(new, dest, exchange=exchange)
    assert _tree(dest) == {"config.json": "new", "model.safetensors": "w2"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]  # no temporary or old copy left
    fresh = _make(tmp_path / "fresh", **{"config.json": "x"})
    replace_dir(fresh, tmp_path / "absent", exchange=exchange)
    assert _tree(tmp_path / "absent") == {"config.json": "x"} and not fresh.exists()


def test_the_exchange_never_leaves_no_directory(tmp_path, monkeypatch):
    """Where the OS exchanges the two paths in one step, no rename that could leave ``dest`` missing runs."""
    if not models._exchange(_make(tmp_path / "a"), _make(tmp_path / "b")):
        pytest.skip("this file system cannot exchange two paths atomically")
    new = _make(tmp_path / "new", **{"config.json": "new"})
    dest = _make(tmp_path / "model", **{"config.json": "old"})

    def no_rename(*args):
        raise AssertionError("a two-step rename ran")

    monkeypatch.setattr(models.os, "replace", no_rename)
    replace_dir(new, dest)
    assert _tree(dest) == {"config.json": "new"} and not new.exists()


def test_a_failed_swap_puts_the_old_directory_back(tmp_path, monkeypatch):
    new = _make(tmp_path / "new", **{"config.json": "new"})
    dest = _make(tmp_path / "model", **{"config.json": "old"})
    real = os.replace
    calls = []

    def fail_second(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:  # dest is aside; moving the new one in fails (a crash, a full disk)
            raise OSError("disk full")
        return real(src, dst)

    monkeypatch.setattr(models.os, "replace", fail_second)
    with pytest.raises(OSError, match="disk full"):
        replace_dir(new, dest, exchange=False)
    assert _tree(dest) == {"config.json": "old"}  # the old copy is back
    assert _tree(new) == {"config.json": "new"}
