"""Instance-to-instance sync commands (sync-push, sync-full): the copy is
app/services/sync.py; here are the options, the progress bars (stderr) and
the final count comparison (stdout; exit code 1 when a count differs)."""
import itertools
import sys

import click

from app.cli import commands

_LOGIN = click.option("--login", envvar="SYNC_LOGIN", required=True,
                      help="Admin e-mail on the other instance (or SYNC_LOGIN).")
_PASSWORD = click.option("--password", envvar="SYNC_PASSWORD", required=True,
                         help="Its password (or SYNC_PASSWORD).")
_BATCH = click.option("--batch-size", default=200, show_default=True, type=click.IntRange(1),
                      help="Rows per page read and per batch written.")


def _progress(label, pages):
    """A bar per collection, sized by the first page's total."""
    first = next(pages, None)
    if first is None:
        return
    with click.progressbar(length=first[0], label=f"{label:<24}", file=sys.stderr,
                           show_pos=True, show_percent=False) as bar:
        for _, page in itertools.chain([first], pages):
            yield page
            bar.update(len(page))
    click.echo(f"{label}: {first[0]} rows", err=True)


def _report(sync, rows, source_name, target_name):
    for label, sent, matched in sync.report:
        if matched:
            click.echo(f"{label}: {sent} copied, {matched} already on the target "
                       "(references rewritten to its ids)", err=True)
    width = max(len(name) for name, *_ in rows)
    click.echo(f"{'collection':<{width}}  {source_name:>8}  {target_name:>8}  check")
    for name, ours, theirs, same in rows:
        click.echo(f"{name:<{width}}  {ours!s:>8}  {theirs!s:>8}  {'OK' if same else 'DIFF'}")
    if not all(same for *_, same in rows):
        click.echo("Some counts differ.", err=True)
        sys.exit(1)


def _run(work):
    from app.services.sync import SyncError

    try:
        work()
    except SyncError as exc:
        raise click.ClickException(str(exc))


@commands.command("sync-push", help="Push one project of this instance to another one "
                  "through its /import/kitsu routes, keeping the ids.")
@click.option("--target", required=True, help="URL of the other instance's API.")
@click.option("--project", required=True, help="Name or id of the project.")
@_LOGIN
@_PASSWORD
@_BATCH
@click.option("--broadcast", is_flag=True,
              help="Let the target send an event per row (off: the import is silent).")
def sync_push(target, project, login, password, batch_size, broadcast):
    from app.services import kitsu_import
    from app.services.sync import Local, Remote, Sync, compare, find_project

    def work():
        found = find_project(project)
        source = Local(found.id)
        remote = Remote(target, login, password, found.id)
        sync = Sync(source, remote, _progress, batch_size, silent=not broadcast)
        click.echo(f"Pushing {found.name} ({found.id}) to {target}", err=True)
        sync.settings()
        sync.copy(sync.steps())
        names = [name for name, tgt in kitsu_import.targets().items()
                 if tgt.project_of is not None]
        _report(sync, compare(source, remote, names), "here", "target")
    _run(work)


@commands.command("sync-full", help="Copy every project and setting of another instance "
                  "into this one, keeping the ids.")
@click.option("--source", required=True, help="URL of the other instance's API.")
@_LOGIN
@_PASSWORD
@_BATCH
def sync_full(source, login, password, batch_size):
    from app.services.sync import SETTINGS, Local, Remote, Sync, compare

    def work():
        remote = Remote(source, login, password)
        local = Local()
        sync = Sync(remote, local, _progress, batch_size)
        click.echo(f"Copying {source} into this instance", err=True)
        sync.settings()
        steps = sync.steps(build_jobs=False)
        sync.copy(steps)
        names = list(SETTINGS) + list(dict.fromkeys(step.name for step in steps))
        _report(sync, compare(remote, local, names), "source", "here")
    _run(work)

