"""A tokenizer fitted to Lean text: byte-level BPE (or bytes alone) from the ``tokenizers`` library,
wrapped as a transformers ``PreTrainedTokenizerFast`` so ``AutoTokenizer`` loads it.

Byte-level means every Unicode character (``∧ ∨ → ↔ ¬ ⊢``, subscripts, anything unseen) round-trips.
The pre-tokenizer does not split on spaces, so merges may span them: a frequent hypothesis line or a
whole tactic (``exact h1``) becomes one token, and a prop state takes ~13 tokens instead of ~59
characters (``scripts/bench_policy.py`` prints tokens per state for the tokenizer it loads).
"""

from __future__ import annotations

from typing import Iterable

from encoder_bridge.policy.config import TokenizerConfig
from encoder_bridge.policy.prompt import TACTIC_TOKEN

PAD, BOS, EOS = "<|pad|>", "<|bos|>", "<|eos|>"
SPECIAL_TOKENS = (PAD, BOS, EOS, TACTIC_TOKEN)


def fit_tokenizer(texts: Iterable[str], config: TokenizerConfig):
    """A ``PreTrainedTokenizerFast`` fitted on ``texts`` (states and tactics)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    config.validate()
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)
    tok.decoder = decoders.ByteLevel()
    alphabet = pre_tokenizers.ByteLevel.alphabet()
    vocab = config.vocab_size if config.kind == "bpe" else len(alphabet) + len(SPECIAL_TOKENS)
    trainer = trainers.BpeTrainer(vocab_size=vocab, special_tokens=list(SPECIAL_TOKENS),
                                  initial_alphabet=alphabet, max_token_length=config.max_token_length,
                                  show_progress=False)
    tok.train_from_iterator(list(texts), trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tok, pad_token=PAD, bos_token=BOS, eos_token=EOS,
                                   additional_special_tokens=[TACTIC_TOKEN], clean_up_tokenization_spaces=False)
