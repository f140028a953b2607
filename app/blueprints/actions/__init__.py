"""/actions/*: operations that are not plain reads or writes of one row,
one module per domain."""
