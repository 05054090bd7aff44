"""The seam between odooconf and an Odoo server."""
