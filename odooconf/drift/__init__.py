"""Auditors' tools: a normalised configuration of an instance (``normal``), snapshots of it
(``snapshot``), drift between two configurations (``compare``) and its reports (``report``).

Everything here is generic over the kinds' declarations (``odooconf.kinds``): a new kind gets
snapshot, drift and export with no code of its own.
"""
