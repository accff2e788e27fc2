"""An answer saved while a finalise is in flight (locked, not yet committed) must not land.

The status check in the answer's UPDATE waits for the finalise on PostgreSQL (FOR SHARE on the
assessment row) and then sees it; without that lock it read the last committed status and wrote.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from gapanalysis import services
from gapanalysis.models import Assessment, Response, Result
from tests.conftest import service_missing
from tests.factories import make_assessment

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_answer_racing_a_finalise_is_refused_and_nothing_lands(world):
    if connection.vendor != "postgresql":
        service_missing("row locks need PostgreSQL (DATABASE_URL); SQLite serialises whole transactions")
    assessment = make_assessment(world.project, user=world.user("lead"), clause_numbers=["4"])
    response = Response.objects.select_related("assessment").filter(assessment=assessment).first()
    finalised_not_committed = threading.Event()
    outcomes = []

    def finalise():
        try:
            with transaction.atomic():
                services.assessment_finalise(
                    assessment=Assessment.objects.get(pk=assessment.pk), user=world.user("lead")
                )
                finalised_not_committed.set()
                threading.Event().wait(1.0)  # the answer arrives while this transaction is open
        finally:
            connections.close_all()

    def answer():
        try:
            assert finalised_not_committed.wait(timeout=10)
            services.response_save(
                response=response,
                user=world.user("auditor"),
                expected_version=response.version,
                result=Result.CONFORMANT,
            )
            outcomes.append("saved")
        except ValidationError as error:
            outcomes.append("finalised" if "finalised" in str(error) else repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=finalise), threading.Thread(target=answer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes == ["finalised"]
    stored = Response.objects.get(pk=response.pk)
    assert stored.result == Result.NOT_ASSESSED and stored.version == response.version
    assert Assessment.objects.get(pk=assessment.pk).is_finalised
