"""A small, deterministic stand-in for the inference, so UI and workbench tests test their own logic.

One candidate per keyword found in the answers (evidence offsets exact), the first three
are the focus, a bloat warning past five candidates, a coherence warning for a cheap and
bespoke promise, and a "tell me more" probe for the answer "stuff".
"""

from __future__ import annotations

from collections.abc import Mapping

from canvas_tui.core.inference.infer import Advice, Candidate, Evidence, Inference

KEYWORDS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "bake": ("manufacturing", "Manufacturing", "production", ("Loaves per hour", "Waste %")),
    "shop": ("store-operations", "Store operations", "supporting", ("Sales per square metre",)),
    "subscription": ("recurring-billing", "Recurring billing", "supporting", ("Churn",)),
    "advise": ("consulting", "Consulting", "problem_solving", ("Client satisfaction",)),
    "app": ("software-development", "Software development", "platform_network", ("Releases",)),
    "deliver": ("logistics-and-distribution", "Logistics and distribution", "production", ()),
    "instagram": ("digital-marketing", "Digital marketing", "supporting", ("Cost per lead",)),
    "loyal": ("customer-retention", "Customer retention", "supporting", ("Repeat rate",)),
}


def fake_infer(
    answers: Mapping[str, str], catalogue: object, *, sections: Mapping[str, str] | None = None
) -> Inference:
    found: list[Candidate] = []
    for word, (activity_id, name, category, kpis) in KEYWORDS.items():
        evidence = []
        serves: list[str] = []
        for qid, text in answers.items():
            start = text.lower().find(word)
            if start >= 0:
                evidence.append(
                    Evidence(
                        qid,
                        text[start : start + len(word)],
                        start,
                        start + len(word),
                        f"mentions “{word}”",
                    )
                )
                guide = (sections or {}).get(qid, qid.split(".")[0])
                if guide not in serves:
                    serves.append(guide)
        if evidence:
            found.append(
                Candidate(
                    id=activity_id,
                    name=name,
                    category=category,
                    score=round(0.95 - 0.05 * len(found), 2),
                    evidence=tuple(evidence),
                    rationale=f"You mention “{word}”, which needs {name.lower()}.",
                    kpis=kpis,
                    partner_candidate=word == "deliver",
                    partner_hint="a courier could do this" if word == "deliver" else "",
                    serves=tuple(serves),
                )
            )
    candidates = tuple(
        Candidate(**{**c.__dict__, "priority": i + 1 if i < 3 else 0}) for i, c in enumerate(found)
    )
    core = [c for c in candidates if c.category != "supporting"]
    mix = {"production": 0.0, "problem_solving": 0.0, "platform_network": 0.0}
    for c in core:
        mix[c.category] += 1.0 / len(core)
    dominant = max(mix, key=lambda k: mix[k]) if core else "unknown"
    warnings: list[Advice] = []
    if len(candidates) > 5:
        warnings.append(
            Advice("bloat", f"{len(candidates)} key activities is a lot: focus on three.")
        )
    text = " ".join(answers.values()).lower()
    if "cheap" in text and "bespoke" in text:
        warnings.append(Advice("coherence", "A cheap promise and bespoke service pull apart."))
    probes = {
        q: "What exactly do you sell, and to whom?"
        for q, t in answers.items()
        if t.strip() == "stuff"
    }
    if probes:
        warnings.append(Advice("vague", "Some answers are too vague."))
    return Inference(candidates, mix, dominant, tuple(warnings), probes)
