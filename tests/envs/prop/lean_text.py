"""What the Lean-text tests ask of ``check_lean_text``: a file's declarations (no file-level error) and
whether each was proved."""

from qedjax.envs.prop.check import check_lean_text


def results(source: str):
    res, diags = check_lean_text(source)
    assert not [d for d in diags if d.severity == "error"], diags
    return res


def proved_each(source: str) -> list[bool]:
    return [r.proved for r in results(source)]


def proved(source: str) -> bool:
    """Whether the one declaration of ``source`` was proved."""
    res = results(source)
    assert len(res) == 1, res
    return res[0].proved


def message(source: str) -> str:
    return results(source)[0].diagnostics[0].message
