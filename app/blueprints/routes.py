"""Blueprints whose routes are spread over one module per domain: every
module of the package that defines `routes` ([(rule, Resource), ...]) is
registered, so adding a domain is adding a file."""
import importlib
import pkgutil

from flask import Blueprint

from app.api import add_routes


def collect(package_name, blueprint_name):
    package = importlib.import_module(package_name)
    blueprint = Blueprint(blueprint_name, package_name)
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package_name}.{info.name}")
        if hasattr(module, "routes"):
            add_routes(blueprint, module.routes())
    return blueprint
