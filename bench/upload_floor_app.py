"""The floor of a preview upload: a bare Flask route that receives the
same body and writes it to a temporary file, in the large reads the
upload route uses, served by the same gunicorn settings as the API. What
is left of the upload route's time beyond it is ours."""
import tempfile

from flask import Flask, request

app = Flask(__name__)


@app.post("/upload")
def upload():
    with tempfile.TemporaryFile() as out:
        while True:
            chunk = request.stream.read(1 << 20)
            if not chunk:
                break
            out.write(chunk)
    return {"received": True}
