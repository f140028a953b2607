"""Entry point of the live event stream: `python events_server.py [--port 5001]`
(see app/events_server.py)."""
from app.events_server import main

if __name__ == "__main__":
    main()
