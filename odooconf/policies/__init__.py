"""Analysers of a plan over (desired, live, changes): each produces diagnostics with codes,
warnings or escalations, and none reads the instance (the read stage did) or changes what it is
given. The pipeline runs them after the diff: the access review (``access``), the design
authority's house rules (``house_rules``) and the sensitive areas a change of access opens
(``sensitive``)."""
