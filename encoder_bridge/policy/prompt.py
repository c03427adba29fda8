"""One prompt format for training and sampling, recorded with the checkpoint (no torch).

A format is a template (state → prompt text), whether the tokenizer's BOS token goes first, and how the
tactic ends: with the EOS token (a model fine-tuned here learns to emit it) or at the first newline (a
base model that was never taught to stop). The token ids of a training example are
``prompt_ids(state) + tactic_ids + [eos]``: prompt and tactic are tokenized separately, so the ids a
sampler continues from are exactly the ids training saw. A checkpoint records its format in
``qedjax_policy.json``; a search or fine-tune that asks for another format is refused, as an encoder
provenance mismatch is.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from encoder_bridge.templates import TEMPLATES, Template
from qedjax.errors import ConfigError, DataError

RECORD_FILE = "qedjax_policy.json"
TACTIC_TOKEN = "<|tactic|>"  # the separator special token of tokenizers fitted here

# Policy prompt templates: the encoder's registry plus the compact one of the models created here.
POLICY_TEMPLATES: dict[str, Template] = {
    **TEMPLATES,
    "state-tactic": Template("state-tactic", "{state}" + TACTIC_TOKEN,
                             "the state, then the tactic separator token of a tokenizer fitted here"),
}
ENDS = ("eos", "newline")


@dataclasses.dataclass(frozen=True)
class PromptFormat:
    template: str = "state-tactic"
    bos: bool = True  # prepend the tokenizer's BOS token (when it has one)
    end: str = "eos"  # eos: the tactic ends with EOS; newline: at its first newline (base models)

    def validate(self) -> None:
        get_policy_template(self.template)
        if self.end not in ENDS:
            raise ConfigError(f"prompt end must be one of {', '.join(ENDS)}, not '{self.end}'")

    def render(self, state: str) -> str:
        return get_policy_template(self.template).render(state)

    def record(self) -> dict:
        """What a checkpoint stores: the template's text too, so an edited template is a mismatch."""
        return {"template": self.template, "text": get_policy_template(self.template).format,
                "bos": self.bos, "end": self.end}

    @classmethod
    def from_record(cls, rec: dict, where: str) -> PromptFormat:
        try:
            fmt = cls(template=rec["template"], bos=bool(rec["bos"]), end=rec["end"])
        except (KeyError, TypeError):
            raise DataError(f"{where}: the prompt format record is incomplete") from None
        fmt.validate()
        if rec.get("text") is not None and rec["text"] != get_policy_template(fmt.template).format:
            raise DataError(f"{where}: template '{fmt.template}' was trained with another text than "
                            "this version's; refusing a prompt mismatch")
        return fmt


def get_policy_template(template_id: str) -> Template:
    try:
        return POLICY_TEMPLATES[template_id]
    except KeyError:
        raise ConfigError(f"unknown policy template '{template_id}' (known: {', '.join(POLICY_TEMPLATES)})") from None


# A model this package never saw (a hub base model): its prompt is the DeepSeek-Prover style and a
# tactic ends at its first newline, since nobody taught it to emit EOS after one.
FOREIGN_FORMAT = PromptFormat(template="deepseek-prover", bos=False, end="newline")


def read_record(directory: str | Path) -> dict | None:
    """The policy record of a model directory, or None (a model not made by this package)."""
    p = Path(directory) / RECORD_FILE
    if not p.is_file():
        return None
    try:
        rec = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise DataError(f"{p}: unreadable policy record ({e})") from None
    if not isinstance(rec, dict) or not isinstance(rec.get("format"), dict):
        raise DataError(f"{p}: not a policy record (no 'format')")
    return rec


def resolve_format(directory: str | Path | None, requested: str | None) -> PromptFormat:
    """The format to use with the model in ``directory``: its recorded one (a requested template that
    differs is refused), else the requested template with a newline end, else :data:`FOREIGN_FORMAT`."""
    rec = read_record(directory) if directory is not None and Path(directory).is_dir() else None
    if rec is not None:
        fmt = PromptFormat.from_record(rec["format"], str(Path(directory) / RECORD_FILE))
        if requested and requested != fmt.template:
            raise ConfigError(f"{directory} was trained with prompt template '{fmt.template}'; "
                              f"'{requested}' would give it prompts it never saw")
        return fmt
    if requested:
        fmt = dataclasses.replace(FOREIGN_FORMAT, template=requested)
        fmt.validate()
        return fmt
    return FOREIGN_FORMAT


def prompt_ids(tokenizer, fmt: PromptFormat, state: str, max_tokens: int | None = None) -> list[int]:
    """The token ids a model sees before the tactic (the same at training and at sampling time).
    Longer than ``max_tokens``: the last tokens are kept (a state's goal is at its end), BOS first."""
    ids = tokenizer(fmt.render(state), add_special_tokens=False)["input_ids"]
    head = [tokenizer.bos_token_id] if fmt.bos and tokenizer.bos_token_id is not None else []
    if max_tokens is not None and len(head) + len(ids) > max_tokens:
        ids = ids[len(ids) - (max_tokens - len(head)):]
    return head + ids


def tactic_ids(tokenizer, fmt: PromptFormat, tactic: str) -> list[int]:
    """The ids a model is trained to produce after the prompt: the tactic, then its end."""
    ids = tokenizer(tactic, add_special_tokens=False)["input_ids"]
    if fmt.end == "eos":
        return ids + [tokenizer.eos_token_id]
    return ids + tokenizer("\n", add_special_tokens=False)["input_ids"]
