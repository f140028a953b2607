"""CSV imports (behaviours.md row 21, POST /import/csv/...): what every
import shares. Each import runs in two passes: the whole file is read and
checked first, every bad row collected with its line number; only a file
without a single bad row is then written, in one transaction. So a failed
import writes nothing, where Zou keeps the rows committed before the first
bad one: fixing the file and importing it again is all a user has to do.

Files come from spreadsheets: a UTF-8 BOM, `;` or `,` or tab separators,
quoted fields and Windows-1252 text (Excel's default outside UTF-8) are
all accepted. The upload is read from Werkzeug's spooled temporary file,
one row at a time; each import keeps only the values it will write.
"""
import codecs
import contextlib
import contextvars
import csv
import datetime
import io
import uuid

from flask import current_app
import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from app.errors import BadRequest
from app.extensions import db
from app.models.person import Person
from app.models.project import ProjectTaskTypeLink
from app.models.settings import TaskStatus, TaskType
from app.permissions import as_uuid, require_admin, require_project_role
from app.services import projects
from app.services.exports import FORMULA_START

# A 50,000-row shot list weighs about 5 MB: 16 MB leaves room for wide
# files while a mistaken upload (a movie, an archive) is refused at once.
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
SEPARATORS = (",", ";", "\t")
SAMPLE_BYTES = 64 * 1024
TRUE_WORDS = ("true", "yes", "y", "1", "on", "t", "x")
FALSE_WORDS = ("false", "no", "n", "0", "off", "f", "")
NOT_TEXT = "The file is neither UTF-8 nor Windows-1252 text."
REPORT_EVERY = 1000  # rows checked between two progress reports
_progress = contextvars.ContextVar("csv_import_progress", default=None)


def max_bytes():
    return current_app.config.get("CSV_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def too_large(size=None):
    mb = 1024 * 1024
    found = f" ({size // mb} MB)" if size else ""
    return BadRequest(f"The file is too large{found}; the limit is {max_bytes() // mb} MB.",
                      line_number=0, errors=[], imported_rows=0)


def check_size(size):
    """400 for an upload over the limit, before anything is parsed."""
    if size is not None and size > max_bytes():
        raise too_large(size)


# Errors ---------------------------------------------------------------------

class RowError(Exception):
    """A bad cell: the import goes on checking the other rows."""


class Problems:
    """The bad rows of a file, reported all at once."""

    def __init__(self):
        self.errors = []

    def add(self, line_number, message):
        self.errors.append({"line_number": line_number, "message": message})

    def raise_if_any(self):
        if not self.errors:
            return
        first = self.errors[0]
        count = len(self.errors)
        summary = "1 row is invalid" if count == 1 else f"{count} rows are invalid"
        raise BadRequest(
            f"{summary}, nothing was imported. Line {first['line_number']}: "
            f"{first['message']}",
            line_number=first["line_number"], errors=self.errors, imported_rows=0)


def file_error(message):
    """A problem with the file as a whole (header, encoding, separators)."""
    return BadRequest(message, line_number=1,
                      errors=[{"line_number": 1, "message": message}], imported_rows=0)


# Reading --------------------------------------------------------------------

def _encoding(sample):
    """utf-8-sig when the sample decodes as UTF-8 (a character cut at the
    sample's end is fine), else Windows-1252."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "cp1252"


def _separator(header_line):
    """The separator the header line uses most outside quotes (`,` on a tie
    or a one-column file): csv.Sniffer guesses wrong on short files."""
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(SEPARATORS, key=lambda s: counts[s])
    return best if counts[best] else ","


def read(stream, required=()):
    """(header, rows): the stripped column names, and an iterator of
    (line_number, {column: stripped cell}) for the non-blank rows.
    `required` columns must all be in the header, otherwise 400.
    Undecodable or binary content gives 400 too.
    `stream` may be a function returning it: the upload is then only
    taken once the caller's rights are checked."""
    if callable(stream):
        stream = stream()
    sample = stream.read(SAMPLE_BYTES)
    stream.seek(0)
    if not sample.strip(b"\xef\xbb\xbf \t\r\n"):
        raise file_error("The file is empty.")
    if b"\x00" in sample:
        raise file_error("The file is not CSV text (it contains binary data).")
    encoding = _encoding(sample)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    first_line = sample.decode(encoding, errors="replace").splitlines()[0]
    reader = csv.reader(text, delimiter=_separator(first_line), quotechar='"',
                        doublequote=True, skipinitialspace=False, strict=False)
    try:
        header = [unescape(name).strip() for name in next(reader)]
    except UnicodeDecodeError:
        raise file_error(NOT_TEXT)
    except csv.Error as exc:
        raise file_error(f"The header line cannot be read: {exc}.")
    missing = [name for name in required if name not in header]
    if missing:
        raise file_error(f"Missing columns: {', '.join(missing)} (the file has: "
                         f"{', '.join(h for h in header if h) or 'no column'}).")
    return header, _rows(reader, header)


def _rows(reader, header):
    width = len(header)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise file_error(f"Line {reader.line_num + 1} cannot be read: {exc}.")
        except UnicodeDecodeError:
            raise file_error(NOT_TEXT)
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            yield reader.line_num, RowError(
                f"the row has {len(cells)} cells but the header has {width} columns")
            continue
        yield reader.line_num, {name: unescape(cells[i]).strip() if i < len(cells) else ""
                                for i, name in enumerate(header) if name}


def unescape(cell):
    """The cell without the quote the CSV exports put before what a
    spreadsheet would run as a formula: an exported file imports back to
    the same values."""
    return cell[1:] if cell[:1] == "'" and cell[1:2].startswith(FORMULA_START) \
        and cell[1:2] else cell


# Progress -------------------------------------------------------------------

@contextlib.contextmanager
def reporting(callback):
    """Imports run inside call callback(stage, done, total or None) as they
    go (rows checked, entities written, tasks created...): the command
    line shows it; a request reports to nobody."""
    token = _progress.set(callback)
    try:
        yield
    finally:
        _progress.reset(token)


def report(stage, done, total=None):
    callback = _progress.get()
    if callback is not None:
        callback(stage, done, total)


def each_row(rows, problems, handle):
    """handle(line_number, row) for every row, collecting RowError (and a
    bad value) into `problems` instead of stopping."""
    count = 0
    for line_number, row in rows:
        count += 1
        if count % REPORT_EVERY == 0:
            report("rows checked", count)
        if isinstance(row, RowError):
            problems.add(line_number, str(row))
            continue
        try:
            handle(line_number, row)
        except RowError as exc:
            problems.add(line_number, str(exc))
    report("rows checked", count, count)
    if count == 0 and not problems.errors:
        raise file_error("The file has a header but no row to import.")


# Cell values ----------------------------------------------------------------

def sized(value, column, limit):
    """The cell, refused when longer than its database column."""
    if len(value) > limit:
        raise RowError(f"{column} is longer than {limit} characters")
    return value


def integer(value, column):
    try:
        return int(value)
    except ValueError:
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            number = None
        if number is None or not number.is_integer():
            raise RowError(f"{column} must be a whole number, got {value!r}")
        return int(number)


def number(value, column):
    try:
        return float(value.replace(",", "."))
    except ValueError:
        raise RowError(f"{column} must be a number, got {value!r}")


def date(value, column):
    """YYYY-MM-DD (a time part is ignored), DD/MM/YYYY is refused as
    ambiguous with MM/DD/YYYY."""
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        raise RowError(f"{column} must be a date (YYYY-MM-DD), got {value!r}")


def boolean(value, column):
    folded = value.lower()
    if folded in TRUE_WORDS:
        return True
    if folded in FALSE_WORDS:
        return False
    raise RowError(f"{column} must be true or false, got {value!r}")


def choice(value, column, choices):
    """A code among `choices` ({label or code: code}), case-insensitively."""
    code = choices.get(value.casefold())
    if code is None:
        accepted = sorted({c for c in choices.values()})
        raise RowError(f"{column} {value!r} is not one of: {', '.join(accepted)}")
    return code


# Lookups --------------------------------------------------------------------

def load_project(actor, project_id, roles=("manager",)):
    """(project, the actor's role in it) for one of `roles` in it (or an admin)."""
    role = require_project_role(actor, project_id, roles)
    return projects.get_for(actor, project_id), role


def load_admin(actor):
    require_admin(actor)


def is_tv_show(project):
    return project.production_type == "tvshow"


class Statuses:
    """Task statuses by name or short name, case-insensitively."""

    def __init__(self):
        self.by_name = {}
        self.rows = {}
        for row in db.session.scalars(select(TaskStatus).order_by(TaskStatus.created_at)):
            self.rows[row.id] = row
            for key in (row.short_name, row.name):
                if key:
                    self.by_name.setdefault(key.strip().lower(), row.id)

    def find(self, value):
        found = self.by_name.get(value.lower())
        if found is None:
            raise RowError(f"Task status not found for {value!r}")
        return found


class People:
    """Persons by id, full name or e-mail, loaded once when first needed."""

    def __init__(self):
        self._map = None

    def find(self, value):
        if self._map is None:
            self._map = {}
            for person_id, first, last, email in db.session.execute(
                    select(Person.id, Person.first_name, Person.last_name, Person.email)):
                self._map[str(person_id)] = person_id
                full = f"{first or ''} {last or ''}".strip().lower()
                self._map.setdefault(full, person_id)
                if email:
                    self._map.setdefault(email.lower(), person_id)
        found = self._map.get(value.strip().lower())
        if found is None:
            raise RowError(f"Person not found for {value!r}")
        return found

    def many(self, value):
        return [self.find(name) for name in value.split(",") if name.strip()]


def project_task_types(project_id, for_entity):
    """The project's task types of a kind, in their display order."""
    return list(db.session.execute(
        select(TaskType.id, TaskType.name)
        .join(ProjectTaskTypeLink, ProjectTaskTypeLink.task_type_id == TaskType.id)
        .where(ProjectTaskTypeLink.project_id == as_uuid(project_id),
               TaskType.for_entity == for_entity)
        .order_by(TaskType.priority, TaskType.name)))


def any_uuid(ids):
    """`= ANY(:array)`: one bind parameter for any number of ids."""
    return func.any(sa.literal(list(ids), ARRAY(UUID(as_uuid=True))))


def new_id():
    return uuid.uuid4()



class Descriptors:
    """The project's metadata columns of one entity type, found in the file
    by their display name; values go to `data[field_name]`."""

    def __init__(self, project_id, entity_type, header, people, task_type_id=None):
        from app.models.settings import MetadataDescriptor as Descriptor

        stmt = select(Descriptor.name, Descriptor.field_name, Descriptor.data_type).where(
            Descriptor.project_id == as_uuid(project_id), Descriptor.entity_type == entity_type)
        if task_type_id is not None:
            stmt = stmt.where(Descriptor.task_type_id == as_uuid(task_type_id))
        every = db.session.execute(stmt).all()
        self.columns = [d for d in every if d.name in header]
        self.names = {d.name for d in every}
        self.people = people

    def values(self, row):
        """{field_name: stored value} for the descriptor cells of the row;
        an empty cell is stored empty, as Zou does."""
        out = {}
        for name, field_name, data_type in self.columns:
            value = row.get(name, "")
            if value:
                if data_type == "boolean":
                    value = "true" if boolean(value, name) else "false"
                elif data_type == "person":
                    value = str(self.people.find(value))
                elif data_type == "date":
                    value = date(value, name).isoformat()
                elif data_type == "number":
                    number(value, name)
            out[field_name] = value
        return out
