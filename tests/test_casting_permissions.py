"""Who may read and write casting: the team but vendors read the breakdown,
its managers (and admins) change it; people off the team get nothing."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.entity import EntityLink
from tests import factories as f
from tests.test_casting import temporal

CALLERS = f.CALLERS
READERS = ("admin", "manager", "supervisor", "user", "client", "bot")
WRITERS = ("admin", "manager")




@pytest.fixture
def setup(app):
    project = f.project()
    episode = temporal(project, "Episode")
    sequence = temporal(project, "Sequence", episode)
    shot = temporal(project, "Shot", sequence)
    asset = f.asset(project)
    link = f.entity_link(shot, asset)
    return dict(project=project, episode=episode, sequence=sequence, shot=shot, asset=asset,
                link=link)


def _reads(s):
    base = f"/data/projects/{s['project'].id}"
    return [
        f"{base}/entities/{s['shot'].id}/casting",
        f"{base}/asset-types/{s['asset'].entity_type_id}/casting",
        f"{base}/episodes/casting",
        f"{base}/sequences/{s['sequence'].id}/casting",
        f"{base}/episodes/{s['episode'].id}/sequences/all/casting",
        f"{base}/sequences/all/casting",
    ]


def _writes(s):
    base = f"/data/projects/{s['project'].id}"
    cast = [{"asset_id": str(s["asset"].id), "nb_occurences": 2}]
    return [
        ("put", f"{base}/entities/{s['shot'].id}/casting", cast),
        ("put", f"{base}/entities/casting", {str(s["shot"].id): cast}),
        ("put", f"{base}/entities/casting/assets/{s['asset'].id}",
         {"entity_ids": [str(s["shot"].id)], "nb_occurences": 2}),
        ("get", f"{base}/entity-links", None),
        ("delete", f"{base}/entity-links/{s['link'].id}", None),
    ]


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("index", range(6))
def test_breakdown_lists_refuse_vendors_and_anonymous(client, setup, caller, index):
    response = client.get(_reads(setup)[index],
                          headers=f.on_team(client, setup["project"], caller)[1])
    if caller in READERS:
        assert response.status_code == 200, (caller, response.json)
    else:
        assert response.status_code == (401 if caller == "anonymous" else 403)


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("index", range(5))
def test_casting_writes_and_links_are_for_managers(client, setup, caller, index):
    method, path, body = _writes(setup)[index]
    response = getattr(client, method)(path, json=body,
                                       headers=f.on_team(client, setup["project"], caller)[1])
    links = db.session.scalars(select(EntityLink).where(
        EntityLink.entity_in_id == setup["shot"].id)).all()
    if caller in WRITERS:
        assert response.status_code == 200, (caller, response.json)
    else:
        assert response.status_code == (401 if caller == "anonymous" else 403)
        # A refused write changed nothing.
        assert [(link.id, link.nb_occurences) for link in links] == [
            (setup["link"].id, 1)]


@pytest.mark.parametrize("role", ("manager", "user"))
def test_people_off_the_team_are_refused(client, setup, role):
    _, headers = f.signed_in(client, role=role)
    for path in _reads(setup):
        assert client.get(path, headers=headers).status_code == 403
    for method, path, body in _writes(setup):
        assert getattr(client, method)(path, json=body, headers=headers).status_code == 403


def test_a_per_project_vendor_role_is_refused_the_breakdown(client, setup):
    person, headers = f.signed_in(client, role="user")
    f.join_team(setup["project"], person, role="vendor")
    assert client.get(_reads(setup)[0], headers=headers).status_code == 403
