"""POST /data/search: the global search box (behaviours.md row 26)."""
from app.api import Integer, List, Resource, Schema, String, Uuid, endpoint
from app.auth import current_actor
from app.services import search


class Search(Resource):
    @endpoint("People, assets and shots whose name, description or metadata match "
              "every word of the query (as prefixes), best first; {} under 3 characters",
              body=Schema(
                  query=String(required=True, nullable=False),
                  limit=Integer(minimum=1, default=3, nullable=False),
                  offset=Integer(minimum=0, default=0, nullable=False),
                  project_id=Uuid(description="Only this production's assets and shots"),
                  index_names=List(String(), default=list(search.INDEXES), nullable=False,
                                   description="Among assets, shots and persons")))
    def post(self, body):
        return search.search(current_actor(), body["query"], limit=body["limit"],
                             offset=body["offset"], project_id=body.get("project_id"),
                             index_names=body["index_names"])


def routes():
    return [("/data/search", Search)]
