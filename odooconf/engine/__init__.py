"""Pipeline stages, one module each, each with one main function; ``pipeline`` wires them."""
