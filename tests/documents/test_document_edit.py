from documents.models import Document


def form_data(world, **overrides):
    data = {
        "code": "PRC-07",
        "title": "Change procedure",
        "doc_type": "procedure",
        "clauses": "8.5.1.2 8.5.1.3",
        "approver": world.user("viewer").pk,
        "confidentiality": "internal",
        "review_interval_months": 12,
    }
    data.update(overrides)
    return data


def test_contributor_registers_a_document_they_own(world, client_for):
    url = f"/projects/{world.project.pk}/documents/new/"
    response = client_for("contributor").post(url, form_data(world, owner=world.user("lead").pk))
    assert response.status_code == 302
    doc = Document.objects.get(code="PRC-07")
    assert doc.owner == world.user("contributor")  # a contributor cannot hand the document to someone else
    assert doc.clauses == ["8.5.1.2", "8.5.1.3"] and doc.clauses_label == "8.5.1.2, 8.5.1.3"
    assert doc.status == "missing" and not doc.is_mandatory


def test_duplicate_code_is_refused_with_a_message(world, client_for):
    url = f"/projects/{world.project.pk}/documents/new/"
    response = client_for("lead").post(url, form_data(world, code="DOC-02"))
    assert response.status_code == 422
    assert "already exists" in response.content.decode()


def test_bad_clause_and_outsider_approver_are_refused(world, client_for):
    url = f"/projects/{world.project.pk}/documents/new/"
    client = client_for("lead")
    response = client.post(url, form_data(world, clauses="8.5, clause-x"))
    assert response.status_code == 422 and "not a clause number" in response.content.decode()
    response = client.post(url, form_data(world, approver=world.user("outsider").pk))
    assert response.status_code == 422
    assert not Document.objects.filter(code="PRC-07").exists()


def test_stale_edit_is_refused_with_409_and_shows_the_saved_details(world, client_for):
    doc = Document.objects.get(project=world.project, mandatory_code="DOC-02")
    url = f"/projects/{world.project.pk}/documents/{doc.pk}/edit/"
    client = client_for("lead")
    stale = form_data(world, code=doc.code, version=doc.version)
    assert client.post(url, {**stale, "title": "First edit"}).status_code == 302
    response = client.post(url, {**stale, "title": "Second edit"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "First edit" in body and "Someone else saved this document" in body
    assert f'name="version" value="{doc.version + 1}"' in body  # a re-submit carries the saved version
    doc.refresh_from_db()
    assert doc.title == "First edit"


def test_the_code_of_a_mandatory_item_stays(world, client_for):
    doc = Document.objects.get(project=world.project, mandatory_code="DOC-02")
    url = f"/projects/{world.project.pk}/documents/{doc.pk}/edit/"
    response = client_for("lead").post(url, form_data(world, code="MINE-1", version=doc.version))
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.code == "DOC-02"


def test_obsolete_document_takes_no_more_edits(world, client_for):
    doc = Document.objects.get(project=world.project, mandatory_code="DOC-02")
    client = client_for("lead")
    assert client.post(f"/projects/{world.project.pk}/documents/{doc.pk}/obsolete/").status_code == 302
    doc.refresh_from_db()
    assert doc.status == "obsolete"
    assert client.get(f"/projects/{world.project.pk}/documents/{doc.pk}/edit/").status_code == 403
