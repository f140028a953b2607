"""A production's budgets and their salary lines, and the time logged on
it per department, person and month (behaviours.md row 29)."""
from flask import Response

from app.api import Date, Dict, Integer, Number, Resource, Schema, String, Uuid, endpoint
from app.auth import current_actor
from app.models.person import POSITIONS, SENIORITIES
from app.services import budgets

BUDGET_BODY = Schema(
    name=String(required=True, nullable=False, min_length=1, max_length=255),
    currency=String(default="USD", max_length=3, description="ISO 4217 code."),
)
BUDGET_CHANGES = Schema(name=String(min_length=1, max_length=255),
                        currency=String(max_length=3, description="ISO 4217 code."))


def _entry_schema(creating):
    """An entry's fields; the columns the table requires are required on creation."""
    needed = {"required": creating, "nullable": False}
    return Schema(
        department_id=Uuid(**needed),
        person_id=Uuid(description="Empty for a position still to staff."),
        start_date=Date(**needed),
        months_duration=Integer(minimum=0, **needed),
        daily_salary=Number(**needed),
        position=String(choices=POSITIONS),
        seniority=String(choices=SENIORITIES),
        **({} if creating else {"exceptions": Dict(
            description='Amounts of given months, e.g. {"2030-02": 400}.')}),
    )


ENTRY_BODY = _entry_schema(creating=True)
ENTRY_CHANGES = _entry_schema(creating=False)


# Zou answers these creations with 200 (not the 201 of the generic routes).
class ProjectBudgets(Resource):
    @endpoint("List a production's budgets")
    def get(self, project_id):
        return budgets.list_budgets(current_actor(), project_id)

    @endpoint("Create a budget (next revision of the production)", body=BUDGET_BODY)
    def post(self, project_id, body):
        return budgets.create_budget(current_actor(), project_id, body["name"],
                                     body["currency"])


class ProjectBudget(Resource):
    @endpoint("Get a budget")
    def get(self, project_id, budget_id):
        return budgets.get_budget(current_actor(), project_id, budget_id)

    @endpoint("Rename a budget or change its currency", body=BUDGET_CHANGES)
    def put(self, project_id, budget_id, body):
        return budgets.update_budget(current_actor(), project_id, budget_id, body)

    @endpoint("Delete a budget and its entries")
    def delete(self, project_id, budget_id):
        budgets.delete_budget(current_actor(), project_id, budget_id)
        return Response(status=204)


class BudgetEntries(Resource):
    @endpoint("List a budget's entries")
    def get(self, project_id, budget_id):
        return budgets.list_entries(current_actor(), project_id, budget_id)

    @endpoint("Add an entry to a budget", body=ENTRY_BODY)
    def post(self, project_id, budget_id, body):
        return budgets.create_entry(current_actor(), project_id, budget_id, body)


class BudgetEntry(Resource):
    @endpoint("Get a budget entry")
    def get(self, project_id, budget_id, entry_id):
        return budgets.get_entry(current_actor(), project_id, budget_id, entry_id)

    @endpoint("Update a budget entry", body=ENTRY_CHANGES)
    def put(self, project_id, budget_id, entry_id, body):
        return budgets.update_entry(current_actor(), project_id, budget_id, entry_id, body)

    @endpoint("Delete a budget entry")
    def delete(self, project_id, budget_id, entry_id):
        budgets.delete_entry(current_actor(), project_id, budget_id, entry_id)
        return Response(status=204)


class BudgetTimeSpents(Resource):
    @endpoint("Time logged on a production per department, person and month")
    def get(self, project_id):
        return budgets.month_time_spents(current_actor(), project_id)


def routes():
    base = "/data/projects/<project_id>/budgets"
    return [
        (base, ProjectBudgets),
        (f"{base}/time-spents", BudgetTimeSpents),
        (f"{base}/<budget_id>", ProjectBudget),
        (f"{base}/<budget_id>/entries", BudgetEntries),
        (f"{base}/<budget_id>/entries/<entry_id>", BudgetEntry),
    ]
