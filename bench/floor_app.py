"""The floor: a bare Flask route returning constant JSON, served by the same
gunicorn settings as the API, so ratios show what our code costs."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def constant():
    return {"authenticated": True}
