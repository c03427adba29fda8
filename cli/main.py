"""``qed``: the qedjax command line."""

from __future__ import annotations

import click

from qedjax import __version__

from .common import QedGroup, setup_env


@click.group(cls=QedGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="qed")
def qed() -> None:
    """qedjax: a neural theorem prover for Lean 4 (LLM policy + JAX energy-based value head).

    The embedded default runs without Lean, GPU or downloads: the `prop` environment (propositional
    logic in Lean 4 syntax with a truth-table oracle), its heuristic policy, and the MiniLM encoder.
    """
    setup_env()


def _register() -> None:
    from . import ebm, encode, iterate, lean, policy, prop, search

    qed.add_command(prop.prop)
    qed.add_command(lean.lean)
    qed.add_command(ebm.train_ebm)
    qed.add_command(ebm.score)
    qed.add_command(ebm.export_ebm)
    qed.add_command(encode.encode)
    qed.add_command(policy.policy)
    qed.add_command(policy.train_policy)
    for cmd in (search.search, search.evaluate, search.compare, search.summary, search.probe,
                search.export_proof_paths):
        qed.add_command(cmd)
    for cmd in (iterate.iterate, iterate.demo, iterate.separation_probe):
        qed.add_command(cmd)


_register()


def main() -> None:
    qed(prog_name="qed")


if __name__ == "__main__":
    main()
