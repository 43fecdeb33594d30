"""Small walks over the dependency parse that the claim rules are written in."""

from __future__ import annotations

# Clausal dependents: a phrase ends where one of them begins.
CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp"})


def lemma_of(tok) -> str:
    """The lower-cased lemma of ``tok`` (its text when it has none)."""
    return (tok.lemma_ or tok.text).lower()


def ancestors(tok, max_hops: int) -> list:
    """The token itself, then its heads up to the root (bounded)."""
    out = [tok]
    cur = tok
    for _ in range(max_hops):
        if cur.head.i == cur.i:  # the root is its own head
            break
        cur = cur.head
        out.append(cur)
    return out


def phrase_tokens(tok) -> set[int]:
    """Indices of ``tok``'s subtree without the subtrees of its clausal dependents."""
    out = {tok.i}
    stack = [c for c in tok.children if c.dep_ not in CLAUSE_DEPS]
    while stack:
        t = stack.pop()
        out.add(t.i)
        stack.extend(c for c in t.children if c.dep_ not in CLAUSE_DEPS)
    return out


def coordination_head(tok):
    """The first conjunct of the coordination ``tok`` belongs to (``tok`` itself when none)."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok


def after_than(tok) -> bool:
    """``tok`` is the object of a comparison ("more potent than morphine", "compared with opioids")."""
    for anc in ancestors(tok, 3)[1:]:
        if anc.lower_ in ("than", "versus", "vs", "vs."):
            return True
        if anc.lower_ in ("with", "to") and anc.head.lower_ in ("compared", "comparable", "equivalent", "similar"):
            return True
    return False


def is_object_of(tok, verb, kind_nouns) -> bool:
    """``tok`` is the direct object of ``verb``, possibly through a coordination."""
    tok = coordination_head(tok)
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and lemma_of(tok.head.head) in kind_nouns:
        tok = coordination_head(tok.head.head)  # "treat two rare forms of seizure"
    return tok.dep_ in ("dobj", "obj") and tok.head == verb


