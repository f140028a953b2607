"""/data/departments/*: software licences and hardware items per
department (admins), and department members."""
from flask import Response

from app.api import Resource, Schema, Uuid, endpoint
from app.auth import current_actor
from app.services import departments


def _inventory_routes(kind, url_name, item_field, label):
    """The four routes of one kind of department inventory."""

    class AllDepartments(Resource):
        @endpoint(f"Every department's {label}s, by department id (admin)")
        def get(self):
            return departments.items_by_department(current_actor(), kind)

    class OfDepartment(Resource):
        @endpoint(f"Link a {label} to a department (admin)",
                  body=Schema(**{item_field: Uuid(required=True, nullable=False)}))
        def post(self, department_id, body):
            return departments.add_item(current_actor(), kind, department_id,
                                        body[item_field]), 201

    class OneOfDepartment(Resource):
        # The item id comes under the contract's name for it (item_field).
        @endpoint(f"A {label} of a department (admin)")
        def get(self, department_id, **item):
            return departments.department_item(current_actor(), kind, department_id,
                                               item[item_field])

        @endpoint(f"Unlink a {label} from a department (admin)")
        def delete(self, department_id, **item):
            departments.remove_item(current_actor(), kind, department_id, item[item_field])
            return Response(status=204)

    prefix = kind.capitalize()
    for resource in (AllDepartments, OfDepartment, OneOfDepartment):
        resource.__name__ = f"{prefix}{resource.__name__}"
    return [
        (f"/data/departments/{url_name}", AllDepartments),
        (f"/data/departments/<department_id>/{url_name}", OfDepartment),
        (f"/data/departments/<department_id>/{url_name}/<{item_field}>", OneOfDepartment),
    ]


class DepartmentMembers(Resource):
    @endpoint("A department's people, by name (as /data/persons shows them)")
    def get(self, department_id):
        return departments.members(current_actor(), department_id)


def routes():
    return [
        *_inventory_routes("software", "software-licenses", "software_id", "software licence"),
        *_inventory_routes("hardware", "hardware-items", "hardware_item_id", "hardware item"),
        ("/data/departments/<department_id>/persons", DepartmentMembers),
    ]
