"""Shot quotas and episode statistics' neighbours: what an artist finished,
per day, week, month and year (behaviours.md row 9)."""
import datetime

import pytest

from tests import factories as f
from tests.test_shots_permissions import expected

MONDAY = datetime.datetime(2030, 1, 7, 10, 0)  # ISO week 2030-2


@pytest.fixture
def prod():
    project = f.project(fps="24")
    sequence = f.temporal(project, "Sequence")
    layout = f.task_type(for_entity="Shot")
    artist = f.member(project)
    shots = [f.temporal(project, "Shot", sequence, nb_frames=48) for _ in range(2)]
    return {"project": project, "layout": layout, "artist": artist, "shots": shots}


def url(prod, mode):
    return f"/data/projects/{prod['project'].id}/quotas/{prod['layout'].id}?count_mode={mode}"


def test_raw_quotas_count_a_shot_on_the_day_it_was_sent_for_feedback(client, prod):
    _, admin = f.signed_in(client, "admin", timezone="UTC")
    project, artist, (first, second) = prod["project"], prod["artist"], prod["shots"]
    f.task(project, first, prod["layout"], assignees=[artist], end_date=MONDAY,
           nb_drawings=4)
    f.task(project, second, prod["layout"], assignees=[artist],
           end_date=MONDAY + datetime.timedelta(days=1), done_date=MONDAY)
    f.task(project, f.temporal(project, "Shot", nb_frames=10), assignees=[artist],
           end_date=MONDAY)  # another task type
    quotas = client.get(url(prod, "feedback"), headers=admin).json
    assert set(quotas) == {str(artist.id), "total"}
    mine = quotas[str(artist.id)]
    assert mine["day"]["frames"] == {"2030-01-07": 48, "2030-01-08": 48}
    assert mine["day"]["seconds"]["2030-01-07"] == 2.0
    assert mine["day"]["drawings"]["2030-01-07"] == 4
    assert mine["week"]["count"] == {"2030-2": 2}
    assert mine["month"]["frames"] == {"2030-01": 96} and mine["year"]["count"] == {"2030": 2}
    assert mine["day"]["entries"] == {"2030-01": 2}
    done = client.get(url(prod, "done"), headers=admin).json
    assert done["total"]["day"]["frames"] == {"2030-01-07": 48}


def test_weighted_quotas_follow_logged_time_or_spread_over_working_days(client, prod):
    _, admin = f.signed_in(client, "admin", timezone="UTC")
    project, artist, (logged, spread) = prod["project"], prod["artist"], prod["shots"]
    task = f.task(project, logged, prod["layout"], assignees=[artist], end_date=MONDAY,
                  duration=4.0)
    for day, hours in ((datetime.date(2030, 1, 3), 1.0), (datetime.date(2030, 1, 4), 3.0)):
        f.time_spent(task, artist, date=day, duration=hours)
    # Friday to Monday: two working days.
    f.task(project, spread, prod["layout"], assignees=[artist],
           real_start_date=MONDAY - datetime.timedelta(days=3), end_date=MONDAY)
    quotas = client.get(url(prod, "weighted"), headers=admin).json
    days = quotas[str(artist.id)]["day"]
    assert days["frames"] == {"2030-01-03": 12, "2030-01-04": 60, "2030-01-07": 24}
    assert days["count"] == {"2030-01-03": 0.25, "2030-01-04": 1.25, "2030-01-07": 0.5}


def test_a_persons_quotas_are_per_task_type(client, prod):
    project, artist = prod["project"], prod["artist"]
    f.task(project, prod["shots"][0], prod["layout"], assignees=[artist], end_date=MONDAY)
    _, admin = f.signed_in(client, "admin")
    path = f"/data/projects/{project.id}/quotas/persons/{artist.id}?count_mode=feedback"
    quotas = client.get(path, headers=admin).json
    assert set(quotas) == {str(prod["layout"].id), "total"}
    assert client.get(path.replace("feedback", "wrong"), headers=admin).status_code == 400


@pytest.mark.parametrize("who", ("admin", "manager", "supervisor", "user", "client", "vendor",
                                 "bot", "anonymous"))
def test_who_sees_quotas(client, prod, who):
    person, headers = f.on_team(client, prod["project"], who)
    project, artist = prod["project"], prod["artist"]
    staff = ("admin", "manager", "supervisor", "user", "vendor", "bot")
    assert client.get(url(prod, "weighted"), headers=headers).status_code == (
        expected(who, staff) or 200)
    others = f"/data/projects/{project.id}/quotas/persons/{artist.id}"
    assert client.get(others, headers=headers).status_code == (
        expected(who, ("admin", "manager", "supervisor")) or 200)
    if person is not None and who != "client":
        own = f"/data/projects/{project.id}/quotas/persons/{person.id}"
        assert client.get(own, headers=headers).status_code == 200
