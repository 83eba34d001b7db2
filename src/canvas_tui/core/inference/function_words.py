"""The closed-class English words the reading rules look at: pronouns, possessives,
joiners, prepositions. (The open-class words are data: the catalogue and roles.toml.)
"""

from __future__ import annotations

#: "our kitchen", "my van": the noun after it is the business's own
POSSESSIVE = frozenset({"our", "my"})
#: the business speaking of itself
OWN = frozenset({"we", "i", "our", "my", "us"})
#: "our farm", "my own kit", "in-house": the business's own
OURS = frozenset({"our", "my", "own", "in-house", "inhouse"})
#: words that join the items of a list ("for cafes, offices and schools")
LIST_JOINERS = frozenset({"and", "or", "&"})
#: a business noun right after these is where goods go, not what the business is
#: ("into shops", "sold to cafes")
NOT_AFTER = frozenset({"to", "into", "onto"})
