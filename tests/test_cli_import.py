"""`import-csv`: the CSV imports from the command line, with progress on
stderr and a summary on stdout."""
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.entity import Entity
from app.models.person import Person
from app.models.project import ProjectTaskTypeLink
from app.models.task import Task
from app.services.entities import entity_type_id
from tests import factories as f


@pytest.fixture
def cli(app):
    return app.test_cli_runner()


@pytest.fixture
def admin():
    return f.person(role="admin")


@pytest.fixture
def project():
    row = f.project()
    f.row(ProjectTaskTypeLink, project_id=row.id,
          task_type_id=f.task_type(for_entity="Shot").id)
    return row


def shots_file(tmp_path, count, first=0):
    path = tmp_path / "shots.csv"
    path.write_text("Sequence,Name,Nb Frames\n" + "".join(
        f"SQ{n // 1000:02d},SH{n:05d},{10 + n % 7}\n" for n in range(first, first + count)))
    return str(path)


def shot_count(project):
    return db.session.scalar(select(func.count()).select_from(Entity).where(
        Entity.project_id == project.id, Entity.entity_type_id == entity_type_id("Shot")))


def task_count(project):
    return db.session.scalar(select(func.count()).select_from(Task).where(
        Task.project_id == project.id))


def test_a_long_import_shows_its_progress(cli, admin, project, tmp_path):
    path = shots_file(tmp_path, 2500)
    result = cli.invoke(args=["import-csv", "--project", project.name, "--kind", "shots",
                              "--as", admin.email, path])
    assert result.exit_code == 0, result.output
    assert (shot_count(project), task_count(project)) == (2500, 2500)
    progress = result.stderr.splitlines()
    # Not a terminal: a line every tenth of the rows, then each write step.
    assert progress[:3] == ["rows checked: 1000/2500 (40%)", "rows checked: 2000/2500 (80%)",
                            "rows checked: 2500/2500 (100%)"]
    assert progress[3:6] == ["entities created: 1000/2500 (40%)",
                             "entities created: 2000/2500 (80%)",
                             "entities created: 2500/2500 (100%)"]
    assert progress[6:] == ["tasks created: 2500"]
    assert result.stdout.startswith(f"Imported shots from {path}: 2500 rows checked, "
                                    "2500 created, 0 updated, 2500 tasks created in ")


def test_update_by_project_id_as_the_first_admin(cli, admin, project, tmp_path):
    cli.invoke(args=["import-csv", "--project", project.name, "--kind", "shots",
                     shots_file(tmp_path, 30)])
    result = cli.invoke(args=["import-csv", "--project", str(project.id), "--kind", "shots",
                              "--update", shots_file(tmp_path, 20, first=20)])
    assert result.exit_code == 0, result.output
    assert "20 rows checked, 10 created, 10 updated, 10 tasks created" in result.stdout
    assert shot_count(project) == 40


def test_a_bad_row_writes_nothing_and_lists_the_lines(cli, admin, project, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("Sequence,Name,Nb Frames\nSQ01,SH01,10\nSQ01,SH02,ten\nSQ01,,3\n")
    result = cli.invoke(args=["import-csv", "--project", project.name, "--kind", "shots",
                              str(path)])
    assert result.exit_code == 1
    assert "2 rows are invalid, nothing was imported. Line 3: Nb Frames must be a whole " \
           "number, got 'ten'" in result.stderr
    assert "line 4: Name cannot be empty" in result.stderr
    assert shot_count(project) == 0


def test_persons_need_no_project(cli, admin, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("First Name,Last Name,Email\nAda,Lovelace,ada.cli@example.com\n")
    result = cli.invoke(args=["import-csv", "--kind", "persons", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 rows checked, 1 rows imported" in result.stdout
    assert db.session.scalar(select(Person.first_name).where(
        Person.email == "ada.cli@example.com")) == "Ada"


@pytest.mark.parametrize("args,message", [
    (["--kind", "shots"], "--project is needed"),
    (["--kind", "shots", "--project", "No such film"], "No project is named 'No such film'"),
    (["--kind", "shots", "--project", "x", "--as", "nobody@example.com"],
     "No active person has the e-mail nobody@example.com"),
])
def test_bad_arguments_are_named(cli, admin, tmp_path, args, message):
    result = cli.invoke(args=["import-csv", *args, shots_file(tmp_path, 1)])
    assert result.exit_code != 0
    assert message in result.output
