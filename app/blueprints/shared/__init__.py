"""/shared/*: guest review through a playlist share link; no JWT, the token (and its password) is checked on every request."""
