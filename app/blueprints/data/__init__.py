"""/data/*: the generic collections (crud.py) and one module per domain."""
