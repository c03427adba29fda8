"""Multi-view encoder store: the mean view is the product encoder's vector; states encode once."""

import numpy as np

from encoder_bridge.encoder import EncoderConfig
from encoder_bridge.templates import lean_words
from encoder_bridge.views import EmbeddingStore, MultiViewEncoder

STATES = ["p q : Prop\nh : p ∧ q\n⊢ q ∧ p", "p : Prop\n⊢ p → p", "p q : Prop\nh✝ : p\nh : ¬q\n⊢ p ∨ q\n\ncase neg\n⊢ False"]


def test_lean_words_spells_connectives_and_keeps_goals_apart(minilm):
    text = lean_words(STATES[2])
    assert text == ("p q : Prop ; h hidden : p ; h : not q ; proves p or q ; next goal ; "
                    "case neg ; proves False")
    assert lean_words("⊢ p → q ↔ r") == "proves p implies q iff r"
    assert minilm.tokenizer.unk_token not in minilm.tokenizer.tokenize(lean_words(STATES[0]))


def test_mean_view_is_the_product_encoding_and_other_views_differ(minilm):
    mv = MultiViewEncoder(EncoderConfig(batch_size=2))
    views = mv.encode(STATES)
    want = minilm.encode(STATES)
    np.testing.assert_allclose(views["mean"], want, rtol=1e-5, atol=1e-5)
    assert mv.provenance("mean") == minilm.provenance
    assert views["mean-last4"].shape == (3, 4 * minilm.dim)
    np.testing.assert_allclose(views["mean-last4"][:, -minilm.dim:], want, rtol=1e-5, atol=1e-5)
    for v in ("cls", "max"):
        assert views[v].shape == want.shape and not np.allclose(views[v], want, atol=1e-3)
        assert mv.provenance(v)["pooling"] == v


def test_store_encodes_each_state_once_and_persists(tmp_path):
    fam = {"ascii": EncoderConfig(batch_size=4)}
    store = EmbeddingStore(tmp_path, fam, shard_size=2)
    a = store.get("ascii", "mean", STATES[:2])
    b = store.get("ascii", "max", STATES[1:])
    assert store.encoded == 3  # every view of a family comes from one encoding
    store.flush()
    again = EmbeddingStore(tmp_path, fam)
    np.testing.assert_array_equal(again.get("ascii", "mean", STATES[:2]), a)
    np.testing.assert_array_equal(again.get("ascii", "max", STATES[1:]), b)
    assert again.encoded == 0
