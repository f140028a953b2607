"""/movies/*: normalized, low-definition and source movies of previews, and their tile strips."""
