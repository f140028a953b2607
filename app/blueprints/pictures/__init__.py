"""/pictures/*: uploaded and generated pictures, one module per domain."""
