# The server's own release, and the Zou API release whose wire format it
# speaks: clients (Kitsu, gazu) read the latter from GET /.
__version__ = "0.1.0"
API_VERSION = "1.0.97"
APP_NAME = "Atelier"
