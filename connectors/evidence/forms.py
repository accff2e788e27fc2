from django import forms

from audits.clauses import clause_titles
from audits.models import Grade
from projects.forms import HelperMixin, VersionedFormMixin

from .mapping import process_choices
from .models import MappingRule, SampleItem, Verdict
from .services import finding_clause


class RuleForm(HelperMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = MappingRule
        fields = ["field", "value", "clause"]
        labels = {"field": "When the ticket's", "value": "is", "clause": "it belongs to"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clause"] = forms.ChoiceField(choices=process_choices(), label="it belongs to")
        self.fields["value"].max_length = 200
        if not self.instance.pk:
            del self.fields["version"]


class MarkForm(HelperMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = SampleItem
        fields = ["verdict", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verdict"].choices = [
            (Verdict.CONFORMING, "Conforming"),
            (Verdict.NONCONFORMING, "Not conforming"),
        ]
        self.fields["verdict"].widget = forms.RadioSelect(choices=self.fields["verdict"].choices)
        self.fields["note"].max_length = 2000
        self.fields["note"].help_text = "Required when not conforming: the finding is raised from it."


class FindingForm(HelperMixin, forms.Form):
    grade = forms.ChoiceField(
        choices=[(Grade.MINOR_NC, "Minor nonconformity"), (Grade.MAJOR_NC, "Major nonconformity")]
    )
    clause = forms.ChoiceField(label="Against clause")

    def __init__(self, *args, project, process_clause: str, **kwargs):
        super().__init__(*args, **kwargs)
        leaves = clause_titles(project)
        under = [
            (n, f"{n} {t}")
            for n, t in leaves.items()
            if n == process_clause or n.startswith(process_clause + ".")
        ]
        self.fields["clause"].choices = under or [(n, f"{n} {t}") for n, t in leaves.items()]
        self.initial.setdefault("clause", finding_clause(process_clause, leaves))


class EvidenceForm(HelperMixin, forms.Form):
    response = forms.TypedChoiceField(coerce=int, label="Checklist question")

    def __init__(self, *args, responses, **kwargs):
        super().__init__(*args, **kwargs)
        self.responses = {r.pk: r for r in responses}
        self.fields["response"].choices = [
            (r.pk, f"{r.assessment.title} — {r.question.code}: {r.question.text[:90]}") for r in responses
        ]

    def clean_response(self):
        return self.responses[self.cleaned_data["response"]]
