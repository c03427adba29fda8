"""The torch side of qedjax: frozen encoders, prompt templates, embedding cache, tactic generation.

Importing this package is cheap; torch and transformers are imported by the modules that need them.
"""
