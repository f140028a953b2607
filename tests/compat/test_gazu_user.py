"""gazu 1.3.1's gazu.user against a real server: the start-up context, saved
filters, the inbox, task subscriptions and DCC sign-ins of a signed-in
artist."""
import gazu
import pytest
from gazu.exception import NotAllowedException, RouteNotFoundException

from tests.compat.conftest import ADMIN, unique

PASSWORD = "artist-password-1"


@pytest.fixture(scope="module")
def production(server):
    """An open project, an artist on its team with a task on an asset, and a
    gazu client signed in as the artist (made once: each test reads its own
    part of it)."""
    admin = gazu.client.create_client(server.url)
    gazu.log_in(ADMIN, server.admin_password, client=admin)
    project = gazu.project.new_project(unique("User views"), client=admin)
    artist = gazu.person.new_person(unique("Art"), "Ist",
                                    f"{unique('artist').replace(' ', '')}@studio.example.com",
                                    password=PASSWORD, client=admin)
    gazu.project.add_person_to_team(project, artist, client=admin)
    prop = gazu.client.fetch_first("entity-types", {"name": "Prop"}, client=admin)
    asset = gazu.asset.new_asset(project, prop, unique("Lamp"), client=admin)
    modeling = gazu.client.fetch_first("task-types", {"name": "Modeling"}, client=admin)
    task = gazu.task.new_task(asset, modeling, assignees=[artist], client=admin)
    artist_client = gazu.client.create_client(server.url)
    gazu.log_in(artist["email"], PASSWORD, client=artist_client)
    return {"project": project, "artist": artist, "task": task, "client": artist_client}


def test_context(admin, production):
    me = production["client"]
    context = gazu.user.get_context(client=me)
    assert [p["id"] for p in context["projects"]] == [production["project"]["id"]]
    assert production["artist"]["id"] in {p["id"] for p in context["persons"]}
    assert "user_limit" not in context and context["project_roles"] == {}
    assert "user_limit" in gazu.user.get_context(client=admin)


def test_filters_and_filter_groups(production):
    me, project = production["client"], production["project"]
    saved = gazu.user.new_filter("Lamps", "lamp", "asset", project=project,
                                 entity_type="Asset", client=me)
    assert (saved["name"], saved["search_query"]) == ("Lamps", "lamp")
    assert gazu.user.all_filters(client=me) == {"asset": {project["id"]: [saved]}}
    saved["name"] = "Lights"
    assert gazu.user.update_filter(saved, client=me)["name"] == "Lights"
    gazu.user.remove_filter(saved, client=me)
    assert gazu.user.all_filters(client=me) == {}

    group = gazu.user.new_filter_group("Favourites", project=project, client=me)
    assert gazu.user.get_filter_group(group, client=me)["name"] == "Favourites"
    assert gazu.user.all_filter_groups(client=me) == {"todo": {project["id"]: [group]}}
    group["color"] = "#00ff00"
    assert gazu.user.update_filter_group(group, client=me)["color"] == "#00ff00"
    gazu.user.remove_filter_group(group, client=me)
    with pytest.raises(RouteNotFoundException):
        gazu.user.get_filter_group(group, client=me)


def test_inbox(admin, production):
    me, task = production["client"], production["task"]
    todo = gazu.client.fetch_first("task-status", {"name": "Todo"}, client=admin)
    gazu.task.add_comment(task, todo, "Please add a shade", client=admin)
    [notification] = gazu.user.all_notifications(client=me)
    assert (notification["notification_type"], notification["comment_text"],
            notification["task_id"], notification["read"]) == (
        "comment", "Please add a shade", task["id"], False)
    assert gazu.user.get_notification(notification, client=me)["id"] == notification["id"]
    notification["read"] = True
    assert gazu.user.update_notification(notification, client=me)["read"] is True
    notification["read"] = False
    gazu.user.update_notification(notification, client=me)
    assert gazu.user.get_context(client=me)["notification_count"] == 1
    assert gazu.user.mark_all_notifications_as_read(client=me) == {"success": True}
    assert gazu.user.get_context(client=me)["notification_count"] == 0


def test_task_subscription(production):
    me, task = production["client"], production["task"]
    assert gazu.user.check_task_subscription(task, client=me) is False
    subscription = gazu.user.subscribe_to_task(task, client=me)
    assert subscription["task_id"] == task["id"]
    assert gazu.user.check_task_subscription(task, client=me) is True
    gazu.user.unsubscribe_from_task(task, client=me)
    assert gazu.user.check_task_subscription(task, client=me) is False


def test_desktop_login_logs(production):
    me = production["client"]
    entry = gazu.user.log_desktop_session_log_in(client=me)
    assert entry["person_id"] == production["artist"]["id"]
    assert [log["id"] for log in gazu.user.all_desktop_login_logs(client=me)] == [entry["id"]]


def test_bots_are_refused(server, admin):
    bot = gazu.person.new_bot(unique("Bot"), f"{unique('bot').replace(' ', '')}@bots.example",
                              client=admin)
    bot_client = gazu.client.create_client(server.url)
    gazu.set_token(bot["access_token"], client=bot_client)
    with pytest.raises(NotAllowedException):
        gazu.user.get_context(client=bot_client)
    with pytest.raises(NotAllowedException):
        gazu.user.all_filters(client=bot_client)
