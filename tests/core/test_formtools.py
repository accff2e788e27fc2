"""versioned_edit: the one POST loop of every edit form with optimistic locking."""

from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from kernel.concurrency import EditConflict
from kernel.formtools import flag_conflict, versioned_edit


class NoteForm(forms.Form):
    text = forms.CharField()
    version = forms.IntegerField()


def _post(data):
    return RequestFactory().post("/", data)


def test_a_get_only_shows_the_form():
    form = NoteForm()
    edit = versioned_edit(RequestFactory().get("/"), form, lambda data, version: 1 / 0)
    assert (edit.form, edit.status, edit.saved) == (form, 200, False)


def test_a_valid_post_calls_the_service_with_the_data_and_the_expected_version():
    calls = []
    edit = versioned_edit(
        _post({"text": "hello", "version": "3"}),
        NoteForm({"text": "hello", "version": "3"}),
        lambda data, version: calls.append((data, version)) or "saved record",
    )
    assert calls == [({"text": "hello"}, 3)]
    assert (edit.status, edit.saved, edit.result) == (200, True, "saved record")


def test_invalid_input_and_a_refusing_service_answer_422_with_the_errors_on_the_form():
    edit = versioned_edit(_post({"version": "1"}), NoteForm({"version": "1"}), lambda data, version: None)
    assert (edit.status, edit.saved) == (422, False) and "text" in edit.form.errors

    def refuse(data, version):
        raise ValidationError({"text": "Not that."})

    edit = versioned_edit(
        _post({"text": "x", "version": "1"}), NoteForm({"text": "x", "version": "1"}), refuse
    )
    assert (edit.status, edit.form.errors["text"]) == (422, ["Not that."])


def test_a_conflict_answers_409_with_the_form_showing_what_the_other_person_saved():
    class Current:
        text, version = "their text", 4

    def conflict(data, version):
        raise EditConflict(Current)

    edit = versioned_edit(
        _post({"text": "mine", "version": "3"}),
        NoteForm({"text": "mine", "version": "3"}),
        conflict,
        on_conflict=lambda current: flag_conflict(
            NoteForm(initial={"text": current.text, "version": current.version}), "Changed meanwhile."
        ),
    )
    assert (edit.status, edit.saved, edit.current) == (409, False, Current)
    assert edit.form.initial == {"text": "their text", "version": 4}
    assert edit.form.non_field_errors() == ["Changed meanwhile."]
