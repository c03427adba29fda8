"""Goals and proof states of the ``prop`` environment, printed exactly as Lean 4 prints them.

A goal is a local context (proposition variables ``p q : Prop`` and hypotheses ``h : p ∧ q``) plus a
target. Printing follows Lean 4's ``ppGoal``: an optional ``case tag`` line, consecutive context
entries with the same type grouped (``p q : Prop``), inaccessible names with ``✝`` and superscripts
counted from the most recent (``a✝¹ a✝ : p``), then ``⊢ target``. Goals are separated by a blank line.
"""

from __future__ import annotations

import dataclasses

from qedjax.envs.prop.syntax import Atom, Formula, atoms, is_ident, parse_formula, pp, pp_cached, subst
from qedjax.errors import ParseError

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_UNSUPER = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


@dataclasses.dataclass(frozen=True, slots=True)
class Hyp:
    """A local declaration. ``type is None`` means a proposition variable (``p : Prop``).

    ``accessible=False`` is a hygienic name (Lean's macro scopes: ``h✝``), never reachable by name.
    An accessible declaration is *shadowed* while a later accessible one has the same name; Lean shows
    it as ``h✝`` too, and it becomes reachable again when the later one leaves the context.
    """

    name: str
    type: Formula | None
    accessible: bool = True
    value: object = None  # a local definition's value: its Formula (`x : Prop := v`) or the proof's text

    @property
    def is_var(self) -> bool:
        return self.type is None


@dataclasses.dataclass(frozen=True, slots=True)
class Goal:
    """A goal: the context, the target and the case tag. ``mvar`` (a negative id) marks the goal that
    is a proof state's metavariable itself: ``⊢ Prop``, closed by assigning it (``target`` is then
    that metavariable)."""

    context: tuple[Hyp, ...]
    target: Formula
    tag: str = ""
    mvar: int = 0
    _pp: str | None = dataclasses.field(default=None, init=False, compare=False, repr=False)
    _goal_mvars: bool | None = dataclasses.field(default=None, init=False, compare=False, repr=False)

    def lookup(self, name: str) -> Hyp | None:
        """The most recent accessible context entry (hypothesis or variable) called ``name``."""
        for h in reversed(self.context):
            if h.name == name and h.accessible:
                return h
        return None

    def retarget(self, target: Formula) -> Goal:
        return Goal(self.context, target, self.tag)

    def retag(self, tag: str) -> Goal:
        return Goal(self.context, self.target, tag, self.mvar)

    def hyp(self, name: str) -> Hyp | None:
        """The most recent accessible hypothesis (a proof, not a proposition variable) called ``name``."""
        h = self.lookup(name)
        return h if h is not None and not h.is_var else None

    def var_names(self) -> set[str]:
        return {h.name for h in self.context if h.is_var}

    def hyps(self) -> list[Hyp]:
        return [h for h in self.context if not h.is_var]

    def with_hyp(self, hyp: Hyp) -> Goal:
        """Append ``hyp`` (an earlier declaration of the same name is then shadowed)."""
        return Goal(self.context + (hyp,), self.target, self.tag, self.mvar)

    def visible(self) -> list[Hyp]:
        """The context entries reachable by name: accessible and not shadowed, in context order."""
        return visible(self.context)

    def without(self, hyp: Hyp) -> Goal:
        ctx = list(self.context)
        for i in range(len(ctx) - 1, -1, -1):
            if ctx[i] is hyp:
                del ctx[i]
                break
        else:
            ctx.remove(hyp)
        return dataclasses.replace(self, context=tuple(ctx))


PropState = tuple[Goal, ...]


def visible(context) -> list[Hyp]:
    """The entries of ``context`` reachable by name (accessible, no later accessible entry of that name)."""
    seen: set[str] = set()
    out = []
    for h in reversed(context):
        if h.accessible and h.name not in seen:
            seen.add(h.name)
            out.append(h)
    out.reverse()
    return out


def display_names(context: tuple[Hyp, ...]) -> list[str]:
    """Names as Lean shows them (its ``sanitizeNames``): hygienic and shadowed names get ``✝`` and a
    superscript counted per name from the most recent."""
    return _display(context)[0]


def _display(context: tuple[Hyp, ...]) -> tuple[list[str], bool]:
    """(:func:`display_names`, whether a proposition variable is among the renamed)."""
    names = [h.name for h in context]
    if len(set(names)) == len(names) and all(h.accessible and "✝" not in h.name for h in context):
        return names, False  # the common case: every name shown as it is
    counts: dict[str, int] = {}
    seen: set[str] = set()
    out = [""] * len(context)
    renamed_var = False
    for i in range(len(context) - 1, -1, -1):
        h = context[i]
        if h.accessible and h.name not in seen and "✝" not in h.name:
            out[i] = h.name
            seen.add(h.name)
        else:  # a name with a macro scope (`h✝3`, see macros.py) is shown as Lean shows it: `h✝`
            base = h.name.partition("✝")[0]
            k = counts.get(base, 0)
            counts[base] = k + 1
            out[i] = base + "✝" + (str(k).translate(_SUPERSCRIPTS) if k else "")
            renamed_var = renamed_var or (h.type is None and h.value is None)
    return out, renamed_var


def pp_goal(goal: Goal) -> str:
    """Lean's ``ppGoal``: ``case`` line, grouped context, ``⊢ target`` (memoised on the goal)."""
    if goal._pp is not None:
        return goal._pp
    lines = []
    if goal.tag:
        lines.append(f"case {goal.tag}")
    names, renamed_var = _display(goal.context)
    show = pp_cached
    if renamed_var:  # a shadowed proposition variable is printed `P✝` inside formulas too
        renames = {h.name: Atom(d) for d, h in zip(names, goal.context)
                   if h.type is None and h.value is None and d != h.name}

        def show(f: Formula) -> str:
            return pp(subst(f, renames))

    group: list[str] = []
    group_type: str | None = None
    for name, h in zip(names, goal.context):
        t = "Prop" if h.type is None else show(h.type)
        if h.value is not None:  # a local definition stands alone: `x : Prop := v`
            if group:
                lines.append(f"{' '.join(group)} : {group_type}")
            value = h.value if isinstance(h.value, str) else show(h.value)
            lines.append(f"{name} : {t} := {value}")
            group, group_type = [], None
            continue
        if group and t == group_type:
            group.append(name)
            continue
        if group:
            lines.append(f"{' '.join(group)} : {group_type}")
        group, group_type = [name], t
    if group:
        lines.append(f"{' '.join(group)} : {group_type}")
    lines.append("⊢ Prop" if goal.mvar else f"⊢ {show(goal.target)}")
    text = "\n".join(lines)
    object.__setattr__(goal, "_pp", text)
    return text


def pp_state(state: PropState) -> str:
    """Lean's pretty-print of a goal list; ``no goals`` for the empty list (as LeanDojo prints it)."""
    if not state:
        return "no goals"
    return "\n\n".join(pp_goal(g) for g in state)


def parse_goal(text: str, mvars: dict | None = None) -> Goal:
    """Inverse of :func:`pp_goal` (names with ``✝`` become inaccessible). ``mvars`` shares the
    proof state's metavariables (``?a``) between the goals of one state; ``⊢ Prop`` is the goal of
    the metavariable named by the last component of its case tag."""
    mvars = {} if mvars is None else mvars
    lines = [ln for ln in text.strip("\n").split("\n")]
    tag = ""
    if lines and lines[0].startswith("case "):
        tag = lines[0][5:].strip()
        lines = lines[1:]
    if not lines or not lines[-1].startswith("⊢"):
        raise ParseError("a goal must end with a line starting with '⊢'")
    target_text = lines[-1][1:].strip()
    mvar = 0
    if target_text == "Prop":
        name = tag.rpartition(".")[2] or "m"
        target = parse_formula(f"?{name}", mvars)
        mvar = target.id
    else:
        target = parse_formula(target_text, mvars)
    context: list[Hyp] = []
    for ln in lines[:-1]:
        if " : " not in ln:
            raise ParseError(f"malformed hypothesis line '{ln}' (expected 'name : type')")
        names_part, type_part = ln.split(" : ", 1)
        value = None
        if " := " in type_part:  # a local definition
            type_part, value_text = type_part.split(" := ", 1)
            value = parse_formula(value_text, mvars) if type_part.strip() == "Prop" else value_text.strip()
        htype = None if type_part.strip() == "Prop" else parse_formula(type_part, mvars)
        for raw in names_part.split():
            accessible = "✝" not in raw
            base = raw.split("✝")[0]
            if not is_ident(base):
                raise ParseError(f"malformed hypothesis name '{raw}'")
            context.append(Hyp(base, htype, accessible, value))
    return Goal(tuple(context), target, tag, mvar)


def parse_state(text: str) -> PropState:
    text = text.strip("\n")
    if text.strip() == "no goals":
        return ()
    blocks = [b for b in text.split("\n\n") if b.strip()]
    mvars: dict = {}
    return tuple(parse_goal(b, mvars) for b in blocks)


def goal_atoms(goal: Goal) -> list[str]:
    acc: dict[str, None] = {}
    for h in goal.context:
        if h.type is not None:
            atoms(h.type, acc)
    atoms(goal.target, acc)
    return list(acc)
