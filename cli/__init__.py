"""The ``qed`` command line (installed as the ``qedjax_cli`` package)."""
