"""Sampling tactics fast enough to search with: one prefill per state, its KV cache shared by the
state's N samples, a decode loop that drops finished samples, counter-based sampling noise.

* Each state's prompt is run once (left-padded with the other states of the call; a call takes states
  of similar prompt lengths). Its N samples then decode until each emits the end of a tactic (EOS, or a
  newline for a base model). Samples of a state that drew the same tokens so far share one row of the
  batch and its key/value cache (they would compute the same logits): a row splits when its samples
  draw different tokens, and finished samples leave. When a state's samples repeat a few likely
  tactics (as 8 samples of a prop state do), far fewer rows are decoded than samples.
* A candidate's log-prob is the sum of the model's own log-probabilities (temperature 1, no top-p) of
  the tactic's tokens and of the token that ends it. Duplicates keep their best log-prob; candidates
  are sorted by log-prob; samples that do not end within ``max_new_tokens``, empty ones and
  ``sorry``/``admit`` are dropped.
* Sampling is by inverse CDF with one uniform per (state, sample, step), a counter-based hash of
  (seed, state text, sample, step): a state's candidates depend on the seed and its text only, never
  on which other states share the call (up to float rounding of the batched forward), so pooled and
  one-at-a-time searches agree. Because of that, candidates are memoised per state.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import inspect
import math
from typing import Sequence

import numpy as np

from encoder_bridge.encoder import resolve_device
from encoder_bridge.policy.config import SampleConfig
from encoder_bridge.policy.data import forbidden
from encoder_bridge.policy.model import load_policy
from encoder_bridge.policy.prompt import prompt_ids
from qedjax.interfaces import Candidate, ProofState

_M1, _M2, _GOLDEN = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB), np.uint64(0x9E3779B97F4A7C15)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser on uint64 arrays (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * _M1
        x = (x ^ (x >> np.uint64(27))) * _M2
        return x ^ (x >> np.uint64(31))


def state_key(seed: int, state: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"{int(seed)}\x1f{state}".encode(), digest_size=8).digest(), "little")


def uniforms(keys: Sequence[int], samples: int, steps: int) -> np.ndarray:
    """(len(keys) × samples, steps) uniforms in [0, 1): row i·samples + j is sample j of state i."""
    k = np.repeat(np.asarray(keys, dtype=np.uint64), samples)[:, None]
    j = np.tile(np.arange(samples, dtype=np.uint64), len(keys))[:, None]
    t = np.arange(steps, dtype=np.uint64)[None, :]
    with np.errstate(over="ignore"):
        counter = _mix(k ^ _mix((j << np.uint64(20)) + t + np.uint64(1)) * _GOLDEN)
    return (counter >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def draw(logits, u, temperature: float = 1.0, top_p: float = 1.0):
    """Token per row by inverse CDF of softmax(logits / temperature), truncated to the top-p nucleus."""
    import torch

    probs = torch.softmax(logits.float() / temperature, dim=-1)
    if top_p < 1.0:
        sorted_p, order = probs.sort(dim=-1, descending=True)
        before = sorted_p.cumsum(-1) - sorted_p
        sorted_p = torch.where(before < top_p, sorted_p, torch.zeros_like(sorted_p))
        cdf = sorted_p.cumsum(-1)
        idx = (cdf < u[:, None] * cdf[:, -1:]).sum(-1).clamp_(max=probs.shape[-1] - 1)
        return order.gather(-1, idx[:, None])[:, 0]
    cdf = probs.cumsum(-1)
    return (cdf < u[:, None] * cdf[:, -1:]).sum(-1).clamp_(max=probs.shape[-1] - 1)


# What one more sampling call costs beyond its rows, in rows × padded prompt positions (a call's decode
# steps each pay a fixed overhead; each row pays for every prompt position of its call, padding
# included, in its prefill and in every step's attention). Picked by measurement with a 1.1M-parameter
# LM on a CPU, where halving or doubling it changed little; a larger model pays more per position, so
# for it this splits less than it could, never more.
CALL_OVERHEAD = 2048


def length_calls(lengths: Sequence[int], rows_per_prompt: int, max_rows: int,
                 overhead: float = CALL_OVERHEAD) -> list[tuple[int, int]]:
    """Split prompts sorted by length into calls (start, stop) of at most ``max_rows`` rows that minimise
    Σ over calls (overhead + rows × longest prompt): one call pads short prompts to the longest, one call
    per length pays each call's overhead; dynamic programming finds the best split between them."""
    per_call = max(1, max_rows // rows_per_prompt)
    best, cut = [0.0] + [math.inf] * len(lengths), [0] * (len(lengths) + 1)
    for stop in range(1, len(lengths) + 1):
        for start in range(max(0, stop - per_call), stop):
            cost = best[start] + overhead + (stop - start) * rows_per_prompt * lengths[stop - 1]
            if cost < best[stop]:
                best[stop], cut[stop] = cost, start
    calls, stop = [], len(lengths)
    while stop:
        calls.append((cut[stop], stop))
        stop = cut[stop]
    return calls[::-1]


@contextlib.contextmanager
def torch_threads(n: int):
    """torch's CPU threads set to ``n`` (0: unchanged) inside, restored after."""
    import torch

    before = torch.get_num_threads()
    if n and n != before:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        if n and n != before:
            torch.set_num_threads(before)


class Sampler:
    """``sample(states, n)``: per state, up to n (tactic, log-prob) pairs from ``samples`` draws."""

    def __init__(self, model, tokenizer, fmt, config: SampleConfig, seed: int = 0, share_prefill: bool = True):
        """``share_prefill=False`` runs every sample's prompt through the model itself (what batched
        ``generate`` does; kept to measure what sharing saves): the candidates are the same."""
        config.validate()
        self.share_prefill = share_prefill
        self.model = model
        self.tokenizer = tokenizer
        self.format = fmt
        self.config = config
        self.seed = int(seed)
        self.device = next(model.parameters()).device
        self.eos = tokenizer.eos_token_id
        self.pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else self.eos
        limit = getattr(model.config, "max_position_embeddings", None) or getattr(model.config, "n_positions", None)
        self.max_new = config.max_new_tokens
        self.max_prompt = config.max_prompt_tokens
        if limit:
            self.max_prompt = max(8, min(self.max_prompt, int(limit) - self.max_new))
        self.enders = self._enders()
        self.memo: collections.OrderedDict = collections.OrderedDict()
        self.stats = collections.Counter()
        params = inspect.signature(model.forward).parameters
        self._cache_kw = "cache" if "cache" in params else "past_key_values"
        # A prefill needs the logits of the last position only (older models compute every position's).
        self._last_logits = {"logits_to_keep": 1} if "logits_to_keep" in params else {}

    def _enders(self):
        """Token ids that end a tactic: EOS, and for a newline format every token containing one."""
        import torch

        ends = torch.zeros(len(self.tokenizer), dtype=torch.bool)
        ends[self.eos] = True
        if self.format.end == "newline":
            for tid in range(len(self.tokenizer)):
                if "\n" in self.tokenizer.decode([tid]):
                    ends[tid] = True
        return ends.to(self.device)

    def samples_for(self, n: int) -> int:
        return max(1, math.ceil(n * self.config.oversample))

    def sample(self, states: Sequence[str], n: int) -> list[list[tuple[str, float]]]:
        samples = self.samples_for(n)
        todo = [s for s in dict.fromkeys(states) if (s, samples) not in self.memo]
        self.stats["states"] += len(states)
        self.stats["memo_hits"] += len(states) - len(todo)
        fresh: dict[str, list[tuple[str, float]]] = {}
        if todo:
            ids = [prompt_ids(self.tokenizer, self.format, s, self.max_prompt) for s in todo]
            order = sorted(range(len(todo)), key=lambda i: len(ids[i]))  # similar lengths pad less
            calls = length_calls([len(ids[i]) for i in order], samples, self.config.batch_rows)
            with torch_threads(self.config.threads):
                for start, stop in calls:
                    chunk = order[start:stop]
                    got = self._sample_chunk([ids[i] for i in chunk],
                                             [state_key(self.seed, todo[i]) for i in chunk], samples)
                    for i, rows in zip(chunk, got):
                        fresh[todo[i]] = self._candidates(rows)
        out = []
        for s in states:
            cands = fresh.get(s)
            if cands is None:
                cands = self.memo[(s, samples)]
                self.memo.move_to_end((s, samples))
            out.append(cands[:n])
        if self.config.memo_size:
            for s, cands in fresh.items():
                self.memo[(s, samples)] = cands
            while len(self.memo) > self.config.memo_size:
                self.memo.popitem(last=False)
        return out

    def _forward(self, cache=None, **kw):
        """One forward with a KV cache (the keyword and output attribute moved between transformers
        releases: ``past_key_values`` before, ``cache`` since)."""
        if cache is not None:
            kw[self._cache_kw] = cache
        out = self.model(**kw, use_cache=True, return_dict=True)
        got = getattr(out, "cache", None)
        return out, (got if got is not None else out.past_key_values)

    def _prompt_batch(self, prompts: list[list[int]]):
        """Left-padded prompt ids, their mask and positions (each prompt's first token at position 0)."""
        import torch

        S, P = len(prompts), max(len(p) for p in prompts)
        input_ids = torch.full((S, P), self.pad, dtype=torch.long)
        mask = torch.zeros((S, P), dtype=torch.long)
        for r, p in enumerate(prompts):
            input_ids[r, P - len(p):] = torch.tensor(p, dtype=torch.long)
            mask[r, P - len(p):] = 1
        position = (mask.cumsum(1) - 1).clamp_(min=0)
        return input_ids.to(self.device), mask.to(self.device), position.to(self.device)

    def _sample_chunk(self, prompts: list[list[int]], keys: list[int], n: int) -> list[list[tuple[str, float]]]:
        import torch

        if self.config.decode == "beam":
            return self._beam_chunk(prompts, n)
        S, T = len(prompts), self.max_new
        P = max(len(p) for p in prompts)
        input_ids, mask, position = self._prompt_batch(prompts)
        u_all = torch.from_numpy(uniforms(keys, n, T)).to(self.device)
        with torch.inference_mode():
            if self.share_prefill:  # one prefill row per state; its samples all start on it
                owner = torch.arange(S, device=self.device).repeat_interleave(n)
            else:  # one prefill row per sample (what batched generate does)
                input_ids, mask, position = (x.repeat_interleave(n, dim=0) for x in (input_ids, mask, position))
                owner = torch.arange(S * n, device=self.device)
            out, cache = self._forward(input_ids=input_ids, attention_mask=mask, position_ids=position,
                                       **self._last_logits)
            logits = out.logits[:, -1, :]
            V = logits.shape[-1]
            # The attention mask of every step is a prefix of one buffer: the prompts' padding, then ones.
            masks = torch.ones((mask.shape[0], P + T), dtype=mask.dtype, device=self.device)
            masks[:, :P] = mask
            next_pos = position[:, -1] + 1
            live = torch.arange(S * n, device=self.device)  # the samples still decoding; owner[i]: live[i]'s row
            tokens = torch.full((S * n, T), -1, dtype=torch.long, device=self.device)
            total = torch.zeros(S * n, dtype=torch.float64, device=self.device)
            ended = torch.zeros(S * n, dtype=torch.bool, device=self.device)
            self.stats["prefill_tokens"] += int(input_ids.numel())
            self.stats["samples"] += S * n
            for t in range(T):
                logp = torch.log_softmax(logits.float(), dim=-1)
                tok = draw(logits[owner], u_all[live, t], self.config.temperature, self.config.top_p)
                tokens[live, t] = tok
                total[live] += logp[owner, tok].double()
                done = self.enders[tok]
                ended[live[done]] = True
                self.stats["decode_rows"] += logits.shape[0]
                self.stats["live_samples"] += live.numel()
                self.stats["decode_steps"] += 1
                go = ~done
                live, owner, tok = live[go], owner[go], tok[go]
                if t == T - 1 or not live.numel():
                    break
                # The next step's rows: one per distinct (row, token) of the samples that go on, so samples
                # that drew the same tokens so far share one row (and its cache) until they differ.
                key, owner = torch.unique(owner * V + tok, return_inverse=True)
                parent, step_tok = key // V, key % V
                rows = logits.shape[0]
                if 2 * parent.numel() > rows and not bool((parent[1:] == parent[:-1]).any()):
                    # No row split and most rows go on: the rows stay where they are (a row no sample owns
                    # any more is fed padding and ignored); copying the cache at every end costs more than
                    # the forward of its rows for a small model.
                    owner = parent[owner]
                    step_tok = torch.full((rows,), self.pad, dtype=torch.long, device=self.device).index_copy_(
                        0, parent, step_tok)
                else:
                    cache.batch_select_indices(parent)
                    masks, next_pos = masks[parent], next_pos[parent]
                out, cache = self._forward(cache, input_ids=step_tok[:, None], attention_mask=masks[:, :P + t + 1],
                                           position_ids=next_pos[:, None])
                logits = out.logits[:, -1, :]
                next_pos = next_pos + 1
        tokens, total, ended = tokens.cpu().tolist(), total.cpu().tolist(), ended.cpu().tolist()
        return [[(tuple(i for i in tokens[r] if i >= 0), total[r]) for r in range(s * n, (s + 1) * n) if ended[r]]
                for s in range(S)]

    def _beam_chunk(self, prompts: list[list[int]], width: int) -> list[list[tuple[tuple[int, ...], float]]]:
        """Beam search: per state, the ``width`` most likely tactics (summed log-probs, end included) that
        end within max_new_tokens. One prefill per state, its cache shared by its beams; each step keeps
        2 × width continuations, moves those that end to the finished list and the best ``width`` others
        on; a state stops when ``width`` finished tactics all beat its best unfinished beam, and its
        rows leave the batch."""
        import torch

        S, T, W = len(prompts), self.max_new, width
        input_ids, mask, position = self._prompt_batch(prompts)
        finished: list[list[tuple[tuple[int, ...], float]]] = [[] for _ in range(S)]
        with torch.inference_mode():
            out, cache = self._forward(input_ids=input_ids, attention_mask=mask, position_ids=position)
            logp = torch.log_softmax(out.logits[:, -1, :].float(), dim=-1).double()  # one row per state
            V = logp.shape[-1]
            self.stats["prefill_tokens"] += int(input_ids.numel())
            self.stats["samples"] += S * W
            next_pos = position[:, -1] + 1
            active = list(range(S))  # the states in the batch, in order; W rows each after the first step
            score = torch.zeros((S, 1), dtype=torch.float64, device=self.device)
            history: list[tuple[int, ...]] = [()] * S
            for t in range(T):
                per_row = 1 if t == 0 else W
                total = (score.reshape(-1, 1) + logp).reshape(len(active), per_row * V)
                top, idx = total.topk(min(2 * W, total.shape[1]), dim=1)
                ends = self.enders[idx % V]
                top_c, idx_c, ends_c = top.cpu().tolist(), idx.cpu().tolist(), ends.cpu().tolist()
                rows, tokens, scores, kept = [], [], [], []
                for b, i in enumerate(active):
                    live, fin = [], finished[i]
                    for sc, k, end in zip(top_c[b], idx_c[b], ends_c[b]):
                        if sc == -math.inf:
                            break
                        row, tok = b * per_row + k // V, k % V
                        if end:
                            fin.append((history[row] + (tok,), sc))
                        elif len(live) < W:
                            live.append((row, tok, sc))
                    fin.sort(key=lambda x: -x[1])
                    del fin[W:]
                    if not live or (len(fin) >= W and fin[-1][1] >= live[0][2]):
                        continue  # this state is done: its rows leave the batch
                    live += [(live[0][0], live[0][1], -math.inf)] * (W - len(live))  # padding rows, never kept
                    kept.append(i)
                    for row, tok, sc in live:
                        rows.append(row)
                        tokens.append(tok)
                        scores.append(sc)
                self.stats["decode_steps"] += 1
                self.stats["decode_rows"] += len(active) * per_row
                if not kept or t == T - 1:
                    break
                history = [history[r] + (tok,) for r, tok in zip(rows, tokens)]
                sel = torch.tensor(rows, device=self.device)
                cache.batch_select_indices(sel)
                mask = torch.cat([mask[sel], mask.new_ones((len(rows), 1))], dim=1)
                next_pos = next_pos[sel]
                active = kept
                score = torch.tensor(scores, dtype=torch.float64, device=self.device)
                tok_t = torch.tensor(tokens, device=self.device).reshape(-1, 1)
                out, cache = self._forward(cache, input_ids=tok_t, attention_mask=mask, position_ids=next_pos[:, None])
                logp = torch.log_softmax(out.logits[:, -1, :].float(), dim=-1).double()
                next_pos = next_pos + 1
        return finished

    def samples(self, states: Sequence[str], n: int) -> list[list[tuple[tuple[int, ...], float]]]:
        """Per state, its n raw samples that ended: (token ids with the end token, summed log-prob)."""
        ids = [prompt_ids(self.tokenizer, self.format, s, self.max_prompt) for s in states]
        return self._sample_chunk(ids, [state_key(self.seed, s) for s in states], n) if states else []

    def _candidates(self, rows: list[tuple[tuple[int, ...], float]]) -> list[tuple[str, float]]:
        best: dict[str, float] = {}
        for ids, total in rows:
            tactic = self._text(list(ids))
            if tactic is not None and (tactic not in best or total > best[tactic]):
                best[tactic] = total
        return sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))

    def _text(self, ids: list[int]) -> str | None:
        """The tactic of one sample (its ids up to and including the end token), or None (empty, not
        valid UTF-8, ``sorry``)."""
        ids = [i for i in ids if i >= 0]
        if self.format.end == "eos":
            text = self.tokenizer.decode(ids[:-1], skip_special_tokens=True)
        else:
            text = self.tokenizer.decode(ids, skip_special_tokens=True).split("\n", 1)[0]
        text = text.strip()
        if not text or "\ufffd" in text or forbidden(text):  # \ufffd: bytes that are not UTF-8 text
            return None
        return text


class LMPolicy:
    """The search-facing policy (``Policy.propose``) of any causal LM: a model made and fine-tuned here,
    the packaged SmolLM2-135M or a hub model. ``identity`` names its weights and prompt format."""

    def __init__(self, model: str, *, seed: int = 0, config: SampleConfig | None = None,
                 template: str | None = None, allow_pickle: bool = False):
        config = config or SampleConfig()
        config.validate()
        device = resolve_device(config.device)
        self.loaded = load_policy(model, template=template, dtype=config.dtype, device=device,
                                  allow_pickle=allow_pickle)
        self.sampler = Sampler(self.loaded.model, self.loaded.tokenizer, self.loaded.format, config, seed)

    @property
    def identity(self) -> dict:
        return self.loaded.identity

    def propose(self, states: Sequence[ProofState | str], n: int) -> list[list[Candidate]]:
        texts = [s.pp if isinstance(s, ProofState) else str(s) for s in states]
        return [[Candidate(t, float(lp)) for t, lp in cands] for cands in self.sampler.sample(texts, n)]
