"""Production budgets and the studio's salary scales (behaviours.md row 29).

A budget belongs to a production and is numbered: each new one takes the
next revision of its production. Its entries are salary lines (department,
optional person, start, months, daily salary, position, seniority) with
monthly exceptions. Only the production's managers see or change them.
Salary scales are never created by hand: listing them completes one per
department, position and seniority.
"""
import sqlalchemy as sa
from sqlalchemy import column, delete, exists, func, literal, select

from app import events
from app.errors import BadRequest, NotFound
from app.extensions import db
from app.models.base import utc_now
from app.models.budget import Budget, BudgetEntry, SalaryScale
from app.models.person import POSITIONS, SENIORITIES
from app.models.settings import Department, TaskType
from app.models.task import Task
from app.models.timesheet import TimeSpent
from app.services import crud, projects


def _lock(key):
    """Serialize, until commit, the requests that number or complete rows."""
    db.session.execute(select(func.pg_advisory_xact_lock(func.hashtext(key))))


class BudgetHooks(crud.Hooks):
    """Budgets written through /data/budgets follow the production rules."""

    def before_create(self, actor, data):
        data["revision"] = _next_revision(data.get("project_id"))
        return data

    def before_delete(self, actor, row, force):
        _delete_entries(row.id)


class SalaryScaleHooks(crud.Hooks):
    def before_list(self, actor):
        """Complete the scales: one per department x position x seniority.
        Committed before the list is read, so the ids it shows are kept."""
        _lock("salary_scale")
        grid = sa.values(column("position", sa.String), column("seniority", sa.String),
                         name="grid").data(
            [(position, seniority) for position in POSITIONS for seniority in SENIORITIES])
        table = SalaryScale.__table__
        now = utc_now()
        db.session.execute(sa.insert(table).from_select(
            ["id", "department_id", "position", "seniority", "salary", "created_at",
             "updated_at"],
            select(func.gen_random_uuid(), Department.id, grid.c.position, grid.c.seniority,
                   literal(0), literal(now), literal(now))
            .select_from(Department).join(grid, sa.true())
            .where(~exists().where(table.c.department_id == Department.id,
                                   table.c.position == grid.c.position,
                                   table.c.seniority == grid.c.seniority))))
        db.session.commit()


def _next_revision(project_id):
    _lock(f"budget:{project_id}")
    last = db.session.scalar(select(func.max(Budget.revision)).where(
        Budget.project_id == project_id))
    return (last or 0) + 1


def _delete_entries(budget_id):
    db.session.execute(delete(BudgetEntry).where(BudgetEntry.budget_id == budget_id))


def _budget(actor, project_id, budget_id):
    """The production's budget, once the actor manages the production."""
    project = projects.get_for(actor, project_id, manage=True)
    budget = crud.load(crud.collection("budgets"), budget_id)
    if budget.project_id != project.id:
        raise NotFound(f"The project has no budget with the id {budget_id}.")
    return budget


def _entry(actor, project_id, budget_id, entry_id):
    budget = _budget(actor, project_id, budget_id)
    entry = crud.load(crud.collection("budget-entries"), entry_id)
    if entry.budget_id != budget.id:
        raise NotFound(f"The budget has no entry with the id {entry_id}.")
    return budget, entry


def _answer(actor, name, row):
    return crud.serialize(crud.collection(name), actor, row, relations=False)


# Budgets ----------------------------------------------------------------------

def list_budgets(actor, project_id):
    project = projects.get_for(actor, project_id, manage=True)
    return crud.select_rows(crud.collection("budgets"), actor, Budget.project_id == project.id,
                            sort=("revision", "id"))


def create_budget(actor, project_id, name, currency):
    project = projects.get_for(actor, project_id, manage=True)
    budget = Budget(project_id=project.id, name=name, currency=currency,
                    revision=_next_revision(project.id))
    db.session.add(budget)
    db.session.flush()
    events.emit("budget:create", {"budget_id": budget.id}, project_id=project.id)
    db.session.commit()
    return _answer(actor, "budgets", budget)


def get_budget(actor, project_id, budget_id):
    return _answer(actor, "budgets", _budget(actor, project_id, budget_id))


def update_budget(actor, project_id, budget_id, changes):
    """Rename the budget or change its currency (None leaves a field as is)."""
    budget = _budget(actor, project_id, budget_id)
    for name, value in changes.items():
        if value is not None:
            setattr(budget, name, value)
    events.emit("budget:update", {"budget_id": budget.id}, project_id=budget.project_id)
    db.session.commit()
    return _answer(actor, "budgets", budget)


def delete_budget(actor, project_id, budget_id):
    budget = _budget(actor, project_id, budget_id)
    _delete_entries(budget.id)
    db.session.delete(budget)
    events.emit("budget:delete", {"budget_id": budget.id}, project_id=budget.project_id)
    db.session.commit()


# Entries ----------------------------------------------------------------------

def _clean_exceptions(exceptions):
    """Monthly exceptions keep the months with a positive amount only."""
    try:
        amounts = {month: int(value) for month, value in (exceptions or {}).items()
                   if value is not None}
    except (TypeError, ValueError):
        raise BadRequest("Field 'exceptions' must map months to whole amounts.")
    return {month: amount for month, amount in amounts.items() if amount > 0}


def list_entries(actor, project_id, budget_id):
    budget = _budget(actor, project_id, budget_id)
    return crud.select_rows(crud.collection("budget-entries"), actor,
                            BudgetEntry.budget_id == budget.id, sort=("start_date", "id"))


def create_entry(actor, project_id, budget_id, values):
    budget = _budget(actor, project_id, budget_id)
    entry = BudgetEntry(budget_id=budget.id, exceptions={}, **values)
    db.session.add(entry)
    db.session.flush()
    _announce("budget-entry:create", budget, entry)
    db.session.commit()
    return _answer(actor, "budget-entries", entry)


def get_entry(actor, project_id, budget_id, entry_id):
    return _answer(actor, "budget-entries", _entry(actor, project_id, budget_id, entry_id)[1])


def update_entry(actor, project_id, budget_id, entry_id, values):
    budget, entry = _entry(actor, project_id, budget_id, entry_id)
    if "exceptions" in values:
        values = {**values, "exceptions": _clean_exceptions(values["exceptions"])}
    for name, value in values.items():
        setattr(entry, name, value)
    _announce("budget-entry:update", budget, entry)
    db.session.commit()
    return _answer(actor, "budget-entries", entry)


def delete_entry(actor, project_id, budget_id, entry_id):
    budget, entry = _entry(actor, project_id, budget_id, entry_id)
    db.session.delete(entry)
    _announce("budget-entry:delete", budget, entry)
    db.session.commit()


def _announce(name, budget, entry):
    events.emit(name, {"budget_id": budget.id, "budget_entry_id": entry.id},
                project_id=budget.project_id)


# Time spent -------------------------------------------------------------------

def month_time_spents(actor, project_id):
    """Logged time per department (of the task type), person and month:
    {department_id: {total, person_id: {total, "YYYY-MM": duration}}}."""
    project = projects.get_for(actor, project_id, manage=True)
    month = func.to_char(TimeSpent.date, "YYYY-MM")
    rows = db.session.execute(
        select(TaskType.department_id, TimeSpent.person_id, month, func.sum(TimeSpent.duration))
        .join(Task, Task.id == TimeSpent.task_id)
        .join(TaskType, TaskType.id == Task.task_type_id)
        .where(Task.project_id == project.id, TaskType.department_id.is_not(None))
        .group_by(TaskType.department_id, TimeSpent.person_id, month))
    result = {}
    for department_id, person_id, month_key, duration in rows:
        department = result.setdefault(str(department_id), {"total": 0})
        person = department.setdefault(str(person_id), {"total": 0})
        person[month_key] = duration
        person["total"] += duration
        department["total"] += duration
    return result
