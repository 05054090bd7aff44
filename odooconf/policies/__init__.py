"""Policies every plan checks beyond what the kinds plan: the design authority's house rules
(``house_rules``) and the sensitive areas a change of access opens (``sensitive``)."""
