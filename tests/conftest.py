import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("JAX_PLATFORMS", "cpu")


from pathlib import Path  # noqa: E402

import pytest  # noqa: E402


def shared_lean4() -> Path:
    """The shared real-Lean-data folder (../shared beside the checkout, shared/ inside it, or
    $QEDJAX_SHARED_DATA); tests that need it skip when it is absent."""
    root = Path(__file__).resolve().parents[1]
    for cand in (os.environ.get("QEDJAX_SHARED_DATA"), root.parent / "shared" / "data" / "lean4",
                 root / "shared" / "data" / "lean4"):
        if cand and Path(cand).is_dir():
            return Path(cand)
    pytest.skip("shared Lean 4 data (shared/data/lean4) not available")


# -- tiny Hugging Face models built from a config (no downloads): fast stand-ins for MiniLM / SmolLM2 --

TINY_CORPUS = ["intro h", "exact h", "constructor", "left", "right", "assumption", "apply h", "exfalso",
               "rcases h with ⟨hp, hq⟩", "exact ⟨hq, hp⟩", "p q : Prop\nh : p ∧ q\n⊢ q ∧ p",
               "p q r : Prop\n⊢ p ∨ q → q ∨ p", "case inl\np q : Prop\nh : p\n⊢ q ∨ p", "⊢ ¬¬p → p",
               "p : Prop ⊢ p ↔ p", "simp [Nat.add_comm]", "sorry", "linarith"] * 20


def _save_tiny_tokenizer(directory: Path, kind: str):
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    if kind == "bpe":
        tok = Tokenizer(models.BPE())
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
        tok.decoder = decoders.ByteLevel()
        tok.train_from_iterator(TINY_CORPUS, trainers.BpeTrainer(
            vocab_size=300, special_tokens=["<pad>", "<eos>"],
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
        hf = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<eos>", pad_token="<pad>")
    else:  # BERT-style WordPiece with [CLS] … [SEP]
        from tokenizers import processors

        tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
        tok.normalizer = normalizers.BertNormalizer(lowercase=True)
        tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
        tok.train_from_iterator(TINY_CORPUS, trainers.WordPieceTrainer(
            vocab_size=200, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]"]))
        tok.post_processor = processors.TemplateProcessing(
            single="[CLS] $A [SEP]", special_tokens=[("[CLS]", tok.token_to_id("[CLS]")),
                                                    ("[SEP]", tok.token_to_id("[SEP]"))])
        hf = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]",
                                     cls_token="[CLS]", sep_token="[SEP]")
    hf.save_pretrained(directory)
    return hf


def make_tiny_llama(directory: Path) -> Path:
    """A 2-layer, 32-wide random Llama with a byte-level BPE tokenizer trained on a tiny corpus."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    hf_tok = _save_tiny_tokenizer(directory, "bpe")
    cfg = LlamaConfig(vocab_size=len(hf_tok), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                      num_attention_heads=2, num_key_value_heads=2, max_position_embeddings=512,
                      eos_token_id=hf_tok.eos_token_id, pad_token_id=hf_tok.pad_token_id, bos_token_id=None)
    torch.manual_seed(0)
    LlamaForCausalLM(cfg).save_pretrained(directory)
    return directory


def make_tiny_bert(directory: Path) -> Path:
    """A 1-layer, 32-wide random BERT encoder with a WordPiece tokenizer trained on a tiny corpus."""
    import torch
    from transformers import BertConfig, BertModel

    hf_tok = _save_tiny_tokenizer(directory, "wordpiece")
    cfg = BertConfig(vocab_size=len(hf_tok), hidden_size=32, num_hidden_layers=3, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=512, pad_token_id=hf_tok.pad_token_id)
    torch.manual_seed(0)
    BertModel(cfg).save_pretrained(directory)
    return directory


@pytest.fixture(scope="session")
def tiny_llama(tmp_path_factory) -> Path:
    return make_tiny_llama(tmp_path_factory.mktemp("tiny_llama"))


@pytest.fixture(scope="session")
def tiny_bert(tmp_path_factory) -> Path:
    return make_tiny_bert(tmp_path_factory.mktemp("tiny_bert"))
