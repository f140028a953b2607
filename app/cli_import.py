"""Import commands: long CSV imports from the command line, with progress.

`python manage.py atelier import-csv --project "My film" --kind shots
[--update] shots.csv` runs the service behind POST /import/csv/... (same
checks: the whole file first, nothing written on a bad row) and shows on
stderr how far it got: rows checked, entities created, tasks created."""
import sys
import time
import uuid

import click

from app.cli import _fail, commands
from app.errors import ApiError

KINDS = ("shots", "assets", "edits", "casting", "persons")
LINES_EVERY = 10  # percent between two lines when stderr is not a terminal


class Progress:
    """callback(stage, done, total) drawing one bar per stage on stderr: a
    bar redrawn in place on a terminal, a line every LINES_EVERY percent
    (or every report when the total is unknown) in a log."""

    def __init__(self, stream, estimates):
        self.stream = stream
        self.tty = stream.isatty()
        self.estimates = estimates  # stage -> expected total, when known
        self.stage, self.shown = None, -1
        self.totals = {}

    def __call__(self, stage, done, total):
        if stage != self.stage:
            self.end()
            self.stage, self.shown = stage, -1
        self.totals[stage] = done
        total = total or self.estimates.get(stage)
        if total:
            done = min(done, total)
            percent = int(100 * done / total)
            if self.tty:
                bar = "#" * (percent // 5)
                self.stream.write(f"\r{stage:>17} [{bar:<20}] {done}/{total}")
            elif percent // LINES_EVERY != self.shown:
                self.stream.write(f"{stage}: {done}/{total} ({percent}%)\n")
                self.shown = percent // LINES_EVERY
        elif self.tty:
            self.stream.write(f"\r{stage:>17} {done}")
        else:
            self.stream.write(f"{stage}: {done}\n")
        self.stream.flush()

    def end(self):
        if self.tty and self.stage is not None:
            self.stream.write("\n")
            self.stream.flush()


def _rows_in(path):
    """Lines after the header: the expected number of rows."""
    lines = 0
    with open(path, "rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            lines += block.count(b"\n")
    return max(lines - 1, 1)


def _actor(email):
    """The person the import is made as: `email`, or the first admin."""
    from sqlalchemy import select

    from app.auth import _load_actor
    from app.extensions import db
    from app.models.person import Person

    stmt = select(Person.id).where(Person.active.is_(True))
    stmt = stmt.where(Person.email == email) if email else \
        stmt.where(Person.role == "admin").order_by(Person.created_at)
    person_id = db.session.scalar(stmt.limit(1))
    if person_id is None:
        raise click.ClickException(f"No active person has the e-mail {email}." if email
                                   else "No active admin to import as (use --as).")
    return _load_actor(person_id)


def _project_id(value):
    from sqlalchemy import select

    from app.extensions import db
    from app.models.project import Project

    try:
        return str(uuid.UUID(value))
    except ValueError:
        pass
    found = db.session.scalars(select(Project.id).where(Project.name == value)).all()
    if len(found) != 1:
        raise click.ClickException(f"No project is named {value!r}." if not found
                                   else f"Several projects are named {value!r}: use its id.")
    return str(found[0])


def _run(actor, kind, project_id, stream, update):
    from app.services import csv_import_entities, csv_import_others

    if kind == "persons":
        return csv_import_others.import_persons(actor, stream, update)
    service = {"shots": csv_import_entities.import_shots,
               "assets": csv_import_entities.import_assets,
               "edits": csv_import_entities.import_edits,
               "casting": csv_import_others.import_casting}[kind]
    return service(actor, project_id, stream, update)


@commands.command("import-csv", help="Import a CSV file (as POST /import/csv/... does), "
                                     "showing progress on stderr.")
@click.option("--project", help="The project's name or id (every kind but persons).")
@click.option("--kind", type=click.Choice(KINDS), required=True)
@click.option("--update", is_flag=True, help="Also update the rows that exist.")
@click.option("--as", "as_email", help="Import as this person (default: the first admin).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_csv(project, kind, update, as_email, file):
    from app.services import csv_import

    if kind != "persons" and not project:
        raise click.UsageError("--project is needed for this kind.")
    actor = _actor(as_email)
    project_id = _project_id(project) if kind != "persons" else None
    progress = Progress(sys.stderr, {"rows checked": _rows_in(file)})
    started = time.monotonic()
    try:
        with open(file, "rb") as stream, csv_import.reporting(progress):
            result = _run(actor, kind, project_id, stream, update)
    except ApiError as exc:
        progress.end()
        for error in exc.extra.get("errors", [])[1:20]:
            click.echo(f"line {error['line_number']}: {error['message']}", err=True)
        _fail(exc)
    progress.end()
    done = progress.totals
    if isinstance(result, list):
        written = f"{len(result)} rows imported"
    else:
        result.close()  # the JSON answer a request would stream: not needed here
        written = (f"{done.get('entities created', 0)} created, "
                   f"{done.get('entities updated', 0)} updated, "
                   f"{done.get('tasks created', 0)} tasks created")
    click.echo(f"Imported {kind} from {file}: {done.get('rows checked', 0)} rows checked, "
               f"{written} in {time.monotonic() - started:.1f} s.")
