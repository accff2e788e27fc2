from tests.permissions.matrix import Case, only, signed_in


def _job(world):
    """A finished import of the world's project by its lead: the job page, its progress fragment and
    the invitation choice exist for that person only (404 for anyone else, as for a project)."""

    def make(w):
        from transfer.models import ImportJob, ImportPerson, ImportStage, ImportStatus

        job = ImportJob.objects.create(
            created_by=w.user("lead"), status=ImportStatus.DONE, stage=ImportStage.DONE, project=w.project
        )
        person = ImportPerson.objects.create(job=job, archive_id=1, email="someone@example.test")
        return job, person

    return world.obj("import_job", make)


def _people_data(world):
    job, person = _job(world)
    return {f"invite_{person.pk}": "on", f"role_{person.pk}": "viewer"}


def _mine(ok=200):
    """Only the person who started the import; every other signed-in user gets 404."""
    return only("lead", ok=ok, denied=404)


CASES = [
    Case("transfer:export", lambda w: f"/projects/{w.project.pk}/export/", only("lead", ok=200)),
    Case("transfer:download", lambda w: f"/projects/{w.project.pk}/export/archive/", only("lead", ok=200)),
    Case("transfer:import", lambda w: "/projects/import/", signed_in()),
    Case(
        "transfer:import",
        lambda w: "/projects/import/",
        signed_in(422),
        method="post",
        data=lambda w: {},
        label="no-file",
    ),
    Case("transfer:job", lambda w: f"/projects/import/{_job(w)[0].pk}/", _mine()),
    Case("transfer:job_progress", lambda w: f"/projects/import/{_job(w)[0].pk}/progress/", _mine()),
    Case(
        "transfer:job_progress",
        lambda w: f"/projects/import/{_job(w)[0].pk}/progress/",
        _mine(),
        htmx=True,
        label="htmx",
    ),
    Case(
        "transfer:people",
        lambda w: f"/projects/import/{_job(w)[0].pk}/people/",
        _mine(ok=302),
        method="post",
        data=_people_data,
    ),
    Case(
        "transfer:people",
        lambda w: f"/projects/import/{_job(w)[0].pk}/people/",
        signed_in(405),  # POST only, for anyone: a GET tells nothing about the job
        label="get-refused",
    ),
]
