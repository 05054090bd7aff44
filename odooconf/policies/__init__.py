"""Analysers of a plan over (desired, live, changes): each produces diagnostics with codes,
warnings or escalations, and none reads the instance (the read stage did) or changes what it is
given. The pipeline runs them after the diff."""
