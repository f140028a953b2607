"""Timesheets and leave (behaviours.md row 16): a person's time spents and
days off, the per-person time tables, quota shots and the presence sheet,
a production's time and leave, and the caller's own (/data/user, people
only). The raw rows are the time-spents and day-offs collections."""
from flask import Response

from app.api import Resource, Schema, String, Uuid, endpoint
from app.auth import current_actor
from app.http import json_body_response
from app.services import timesheets

RANGE = Schema(start_date=String(description="First day, YYYY-MM-DD (with end_date)."),
               end_date=String(description="Last day, YYYY-MM-DD (with start_date)."))
PROJECT = Schema(project_id=Uuid(description="Only the time logged on this production."))
TABLE = Schema(project_id=Uuid(description="Only the time logged on this production."),
               department_id=Uuid(description="Only tasks of this department's task types."),
               studio_id=Uuid(description="Only people of this studio."))
QUOTA = Schema(project_id=Uuid(), task_type_id=Uuid(),
               count_mode=String(default="weighted", choices=timesheets.QUOTA_MODES))


# A person's time -------------------------------------------------------------------

class PersonTimeSpents(Resource):
    @endpoint("A person's time spents (with a date range: with project and task type)",
              query=RANGE)
    def get(self, person_id, query):
        return timesheets.person_time_spents(current_actor(), person_id,
                                             query.get("start_date"), query.get("end_date"))


class PersonDateTimeSpents(Resource):
    @endpoint("A person's time spents of a day")
    def get(self, person_id, date):
        return timesheets.person_day_time_spents(current_actor(), person_id, date)


class PersonYearTimeSpents(Resource):
    @endpoint("A person's time of a year, summed per task", query=PROJECT)
    def get(self, person_id, year, query):
        return timesheets.person_period_totals(current_actor(), person_id, "year", year,
                                               project_id=query.get("project_id"))


class PersonMonthTimeSpents(Resource):
    @endpoint("A person's time of a month, summed per task", query=PROJECT)
    def get(self, person_id, year, month, query):
        return timesheets.person_period_totals(current_actor(), person_id, "month", year,
                                               month, project_id=query.get("project_id"))


class PersonWeekTimeSpents(Resource):
    @endpoint("A person's time of an ISO week, summed per task", query=PROJECT)
    def get(self, person_id, year, week, query):
        return timesheets.person_period_totals(current_actor(), person_id, "week", year,
                                               week, project_id=query.get("project_id"))


class PersonDayTimeSpents(Resource):
    @endpoint("A person's time of a day, summed per task", query=PROJECT)
    def get(self, person_id, year, month, day, query):
        return timesheets.person_period_totals(current_actor(), person_id, "day", year,
                                               month, day, project_id=query.get("project_id"))


class PersonMonthAllTimeSpents(Resource):
    @endpoint("Every time spent of a month (the person themselves or an admin)")
    def get(self, person_id, year, month):
        return timesheets.person_month_all(current_actor(), person_id, year, month)


# Time tables --------------------------------------------------------------------

class YearTable(Resource):
    @endpoint("Logged time per year and person: {year: {person_id: duration}}", query=TABLE)
    def get(self, query):
        return timesheets.table(current_actor(), "year", **query)


class MonthTable(Resource):
    @endpoint("Logged time of a year per month and person", query=TABLE)
    def get(self, year, query):
        return timesheets.table(current_actor(), "month", year, **query)


class WeekTable(Resource):
    @endpoint("Logged time of a year per ISO week and person", query=TABLE)
    def get(self, year, query):
        return timesheets.table(current_actor(), "week", year, **query)


class DayTable(Resource):
    @endpoint("Logged time of a month per day and person", query=TABLE)
    def get(self, year, month, query):
        return timesheets.table(current_actor(), "day", year, month, **query)


# Days off ---------------------------------------------------------------------------

class PersonDayOffs(Resource):
    @endpoint("A person's days off (descriptions for the person, admins and managers)")
    def get(self, person_id):
        return timesheets.person_day_offs(current_actor(), person_id)


class PersonDateDayOff(Resource):
    @endpoint("A person's day off covering a date, or {}")
    def get(self, person_id, date):
        return timesheets.person_day_off(current_actor(), person_id, date)


class PersonYearDayOffs(Resource):
    @endpoint("A person's days off touching a year")
    def get(self, person_id, year):
        return timesheets.person_day_offs(current_actor(), person_id, "year", year)


class PersonMonthDayOffs(Resource):
    @endpoint("A person's days off touching a month")
    def get(self, person_id, year, month):
        return timesheets.person_day_offs(current_actor(), person_id, "month", year, month)


class PersonWeekDayOffs(Resource):
    @endpoint("A person's days off touching an ISO week")
    def get(self, person_id, year, week):
        return timesheets.person_day_offs(current_actor(), person_id, "week", year, week)


class YearDayOffs(Resource):
    @endpoint("The days off touching a year, of the people whose leave the caller reads")
    def get(self, year):
        return timesheets.day_offs(current_actor(), year)


class MonthDayOffs(Resource):
    @endpoint("The days off touching a month, of the people whose leave the caller reads")
    def get(self, year, month):
        return timesheets.day_offs(current_actor(), year, month)


# Quotas and presence ------------------------------------------------------------------

class PersonMonthQuotaShots(Resource):
    @endpoint("The shots a person's quota counts in a month, with their weight", query=QUOTA)
    def get(self, person_id, year, month, query):
        return timesheets.quota_shots(current_actor(), person_id, "month", year, month,
                                      **query)


class PersonWeekQuotaShots(Resource):
    @endpoint("The shots a person's quota counts in an ISO week, with their weight",
              query=QUOTA)
    def get(self, person_id, year, week, query):
        return timesheets.quota_shots(current_actor(), person_id, "week", year, week,
                                      **query)


class PersonDayQuotaShots(Resource):
    @endpoint("The shots a person's quota counts in a day, with their weight", query=QUOTA)
    def get(self, person_id, year, month, day, query):
        return timesheets.quota_shots(current_actor(), person_id, "day", year, month, day,
                                      **query)


class PresenceLogs(Resource):
    @endpoint("The month's presence sheet, CSV (admins); month_date is YYYY-MM")
    def get(self, month_date):
        return Response(timesheets.presence_logs(current_actor(), month_date),
                        mimetype="text/csv", headers={
                            "Content-Disposition": "attachment; filename=kitsu_export.csv"})


# A production -------------------------------------------------------------------------

class ProjectTimeSpents(Resource):
    @endpoint("Every time spent logged on a production (not for clients and vendors)")
    def get(self, project_id):
        return json_body_response(timesheets.project_time_spents(current_actor(), project_id))


class ProjectTaskTypeTimeSpents(Resource):
    @endpoint("A production's time of a task type per person (its managers)", query=RANGE)
    def get(self, project_id, task_type_id, query):
        return timesheets.task_type_time_spents(current_actor(), project_id, task_type_id,
                                                query.get("start_date"),
                                                query.get("end_date"))


class ProjectDayOffs(Resource):
    @endpoint("The team's days off per person (not for clients and vendors)", query=RANGE)
    def get(self, project_id, query):
        return timesheets.project_day_offs(current_actor(), project_id,
                                           query.get("start_date"), query.get("end_date"))


# The caller's own (people only) -----------------------------------------------------------

class UserTimeSpents(Resource):
    @endpoint("The caller's time spents (with a date range: with project and task type)",
              query=RANGE)
    def get(self, query):
        return timesheets.own_time_spents(current_actor(), query.get("start_date"),
                                          query.get("end_date"))


class UserDateTimeSpents(Resource):
    @endpoint("The caller's time spents of a day")
    def get(self, date):
        return timesheets.own_time_spents(current_actor(), date=date)


class UserTaskTimeSpent(Resource):
    @endpoint("The caller's time spent on a task that day, or null")
    def get(self, task_id, date):
        return timesheets.own_task_time_spent(current_actor(), task_id, date)


class UserDayOff(Resource):
    @endpoint("The caller's day off covering a date, or {}")
    def get(self, date):
        return timesheets.own_day_off(current_actor(), date)


def routes():
    person = "/data/persons/<person_id>"
    return [
        (f"{person}/time-spents", PersonTimeSpents),
        (f"{person}/time-spents/<date>", PersonDateTimeSpents),
        (f"{person}/time-spents/year/<year>", PersonYearTimeSpents),
        (f"{person}/time-spents/month/<year>/<month>", PersonMonthTimeSpents),
        (f"{person}/time-spents/month/all/<year>/<month>", PersonMonthAllTimeSpents),
        (f"{person}/time-spents/week/<year>/<week>", PersonWeekTimeSpents),
        (f"{person}/time-spents/day/<year>/<month>/<day>", PersonDayTimeSpents),
        ("/data/persons/time-spents/year-table", YearTable),
        ("/data/persons/time-spents/month-table/<year>", MonthTable),
        ("/data/persons/time-spents/week-table/<year>", WeekTable),
        ("/data/persons/time-spents/day-table/<year>/<month>", DayTable),
        (f"{person}/day-offs", PersonDayOffs),
        (f"{person}/day-offs/<date>", PersonDateDayOff),
        (f"{person}/day-offs/year/<year>", PersonYearDayOffs),
        (f"{person}/day-offs/month/<year>/<month>", PersonMonthDayOffs),
        (f"{person}/day-offs/week/<year>/<week>", PersonWeekDayOffs),
        ("/data/persons/day-offs/<year>", YearDayOffs),
        ("/data/persons/day-offs/<year>/<month>", MonthDayOffs),
        (f"{person}/quota-shots/month/<year>/<month>", PersonMonthQuotaShots),
        (f"{person}/quota-shots/week/<year>/<week>", PersonWeekQuotaShots),
        (f"{person}/quota-shots/day/<year>/<month>/<day>", PersonDayQuotaShots),
        ("/data/persons/presence-logs/<month_date>", PresenceLogs),
        ("/data/projects/<project_id>/time-spents", ProjectTimeSpents),
        ("/data/projects/<project_id>/task-types/<task_type_id>/time-spents",
         ProjectTaskTypeTimeSpents),
        ("/data/projects/<project_id>/day-offs", ProjectDayOffs),
        ("/data/user/time-spents", UserTimeSpents),
        ("/data/user/time-spents/<date>", UserDateTimeSpents),
        ("/data/user/tasks/<task_id>/time-spents/<date>", UserTaskTimeSpent),
        ("/data/user/day-offs/<date>", UserDayOff),
    ]
