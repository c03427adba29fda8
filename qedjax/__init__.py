"""qedjax: neural theorem proving for Lean 4 with a JAX energy-based value head.

Importing this package is cheap: jax, flax, optax, orbax and pyarrow are imported only by the
modules that need them.
"""

__version__ = "0.1.0"
