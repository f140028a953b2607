"""/export/csv/*: spreadsheet downloads (behaviours.md row 22)."""
