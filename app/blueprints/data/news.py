"""News feeds of productions (behaviours.md row 24)."""
from app.api import Boolean, DateTime, Integer, Resource, Schema, Uuid, endpoint
from app.auth import current_actor
from app.services import news

FILTERS = dict(
    task_type_id=Uuid(), task_status_id=Uuid(), person_id=Uuid(description="The author"),
    episode_id=Uuid(description="Shots of this episode's sequences"),
    only_preview=Boolean(default=False, description="Only news carrying a preview"),
    after=DateTime(description="Strictly after (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)"),
    before=DateTime(description="Strictly before"),
    page=Integer(minimum=1, default=1, nullable=False),
    limit=Integer(minimum=1, default=news.PAGE_SIZE, nullable=False),
)


class ProjectNews(Resource):
    @endpoint("A page of the production's news, newest first, with the number of "
              "status changes per status (`stats`); not for clients, vendors get "
              "their tasks' news", query=Schema(**FILTERS))
    def get(self, project_id, query):
        return news.project_news(current_actor(), project_id, **query)


class AllNews(Resource):
    @endpoint("A page of the news of the caller's open productions (or of project_id "
              "among them)", query=Schema(project_id=Uuid(), **FILTERS))
    def get(self, query):
        return news.all_news(current_actor(), **query)


class OneNews(Resource):
    @endpoint("One entry of the production's news (not for clients and vendors)")
    def get(self, project_id, news_id):
        return news.one(current_actor(), project_id, news_id)


def routes():
    return [
        ("/data/projects/news", AllNews),
        ("/data/projects/<project_id>/news", ProjectNews),
        ("/data/projects/<project_id>/news/<news_id>", OneNews),
    ]
