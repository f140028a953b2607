"""Administration commands: `python manage.py <command>` (Flask CLI)."""
import datetime

import click
from flask.cli import AppGroup

from app.errors import ApiError

commands = AppGroup("atelier", help="Administration commands.")


def _fail(exc):
    raise click.ClickException(getattr(exc, "message", str(exc)))


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use the YYYY-MM-DD format")


def register(app):
    # Commands of other families live beside their services' callers and
    # add themselves to `commands` when imported.
    from app import cli_import, cli_sync  # noqa: F401

    for command in commands.commands.values():
        app.cli.add_command(command)


@commands.command("init-db", help="Create or upgrade the schema (same as upgrade-db).")
def init_db():
    from app.services.schema import upgrade
    upgrade()
    click.echo("Database schema is up to date.")


@commands.command("upgrade-db", help="Apply the pending schema migrations.")
def upgrade_db():
    init_db.callback()


@commands.command("init-data", help="Seed the default statuses, types and organisation.")
@click.option("--domain", type=click.Choice(["2d", "3d", "vfx", "games"]), default="3d",
              show_default=True, help="Which departments, task and asset types to start with.")
def init_data(domain="3d"):
    from app.services.defaults import seed
    for line in seed(domain):
        click.echo(line)
    click.echo("Default data is in place.")


@commands.command("create-admin", help="Create an admin, or promote an existing person.")
@click.argument("email")
@click.option("--password", required=True, help="At least MIN_PASSWORD_LENGTH characters.")
def create_admin(email, password):
    from app.services import accounts
    try:
        person, created = accounts.create_admin(email, password)
    except ApiError as exc:
        _fail(exc)
    click.echo(f"Admin {person.email} {'created' if created else 'promoted and password set'}.")


@commands.command("create-bot", help="Create a bot and print its API token.")
@click.option("--name", required=True)
@click.option("--email", required=True)
@click.option("--expiration-date", callback=_date, help="Last valid day, YYYY-MM-DD.")
@click.option("--role", default="user", show_default=True)
def create_bot(name, email, expiration_date, role):
    from app.services import accounts
    try:
        bot, token = accounts.create_bot(name, email, expiration_date, role)
    except ApiError as exc:
        _fail(exc)
    click.echo(f"Bot {bot.first_name} ({bot.id}) created. Its API token:")
    click.echo(token)


@commands.command("change-password", help="Set a person's password.")
@click.argument("email")
@click.option("--password", required=True)
def change_password(email, password):
    from app.services import accounts
    try:
        person = accounts.change_password(email, password)
    except ApiError as exc:
        _fail(exc)
    click.echo(f"Password of {person.email} changed.")


@commands.command("set-person-as-active", help="Reactivate a person (or deactivate).")
@click.argument("email")
@click.option("--unactive", is_flag=True, help="Deactivate instead.")
def set_person_as_active(email, unactive):
    from app.services import accounts
    try:
        person = accounts.set_active(email, not unactive)
    except ApiError as exc:
        _fail(exc)
    click.echo(f"{person.email} is now {'inactive' if unactive else 'active'}.")


@commands.command("disable-two-factor-authentication",
                  help="Remove every second factor of a person.")
@click.argument("login")
def disable_two_factor_authentication(login):
    from app.services import accounts
    try:
        person = accounts.disable_two_factor(login)
    except ApiError as exc:
        _fail(exc)
    click.echo(f"Two-factor authentication disabled for {person.email}.")


@commands.command("clear-all-auth-tokens", help="Sign everybody out, bots included.")
def clear_all_auth_tokens():
    from app.services import tokens
    tokens.revoke_all()
    click.echo("All tokens issued until now are refused.")


@commands.command("setup", help="Prepare a fresh install: schema, default data, first admin.")
@click.option("--admin-email", envvar="ADMIN_EMAIL", default="admin@example.com",
              show_default=True, help="Login of the first admin (env ADMIN_EMAIL).")
def setup(admin_email):
    from app.services import accounts

    init_db.callback()
    init_data.callback()
    if accounts.has_active_admin():
        click.echo("An active admin exists already: no account created.")
        return
    password = accounts.random_password()
    accounts.create_admin(admin_email, password)
    click.echo("First admin created. Sign in with:")
    click.echo(f"  login:    {admin_email}")
    click.echo(f"  password: {password}")
    click.echo("Change this password after your first login.")
