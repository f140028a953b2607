"""/import/*: bulk loads from files (CSV), one module per source."""
