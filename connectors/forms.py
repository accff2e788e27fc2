import json

from django import forms

from projects.forms import HelperMixin, VersionedFormMixin

from .fileimport import FIELDS
from .models import Connector, ConnectorKind

TICKET_TYPES_HELP = (
    "Resolution targets in hours per ticket type, used for services the service catalogue gives no "
    'targets for, as JSON: {"Incident": 8, "Service request": 40}.'
)


class ConnectorForm(HelperMixin, VersionedFormMixin, forms.ModelForm):
    username = forms.CharField(
        required=False,
        max_length=200,
        label="User name or e-mail",
        help_text="Jira: the account's e-mail; ServiceNow/RT: the user. "
        "Leave empty to use a token alone (RT auth token, bearer token).",
    )
    secret = forms.CharField(
        required=False,
        max_length=2000,
        label="Password or API token",
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Stored encrypted and never shown again.",
    )
    base_url = forms.URLField(
        required=False, max_length=500, assume_scheme="https", label="Address of the tool"
    )
    targets = forms.CharField(
        required=False, label="SLA targets", help_text=TICKET_TYPES_HELP, widget=forms.TextInput
    )

    class Meta:
        model = Connector
        fields = ["kind", "name", "base_url", "scope", "targets", "schedule_enabled", "sync_every_minutes"]
        labels = {
            "base_url": "Address of the tool",
            "scope": "What to read",
            "schedule_enabled": "Sync on a schedule",
        }
        help_texts = {
            "scope": "RT: a TicketSQL clause such as Queue = 'Incidents'; "
            "Jira: a JQL clause such as project = SD; "
            "ServiceNow: the table (incident, change_request, …). Empty: everything the account may read.",
            "sync_every_minutes": "How often a scheduled sync runs (the schedule checks every 5 minutes).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["kind"]  # a connector stays the kind it was made as
            stored = "stored" if self.instance.has_credentials else "none stored"
            self.fields[
                "secret"
            ].help_text = f"Credentials: {stored}. Leave empty to keep them; they are never shown."
        else:
            del self.fields["version"]
        self.fields["sync_every_minutes"].min_value = 5
        if not self.is_bound and self.instance.targets:
            self.initial["targets"] = json.dumps(self.instance.targets)

    def clean_targets(self):
        text = (self.cleaned_data.get("targets") or "").strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except ValueError:
            raise forms.ValidationError('Write the targets as JSON, e.g. {"Incident": 8}.') from None
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v <= 10000
            for k, v in value.items()
        ):
            raise forms.ValidationError(
                "Each target is a ticket type and a number of hours between 0 and 10,000."
            )
        return value

    def clean(self):
        data = super().clean()
        kind = data.get("kind") or self.instance.kind
        if kind and kind != ConnectorKind.CSV:
            if not data.get("base_url"):
                self.add_error("base_url", "Give the tool's address, e.g. https://rt.example.com/.")
            if not self.instance.pk and not data.get("secret"):
                self.add_error("secret", "Give the password, API token or RT auth token.")
        return data


class UploadForm(HelperMixin, forms.Form):
    file = forms.FileField(
        label="Export file", help_text="CSV (UTF-8) or Excel (.xlsx); row 1 names the columns."
    )


class MappingForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, header=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— not in the file —")] + [(h, h) for h in header if h]
        for name, (label, _) in FIELDS.items():
            self.fields[f"map_{name}"] = forms.ChoiceField(
                choices=choices, required=name == "external_id", label=label
            )

    def mapping(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(f"map_{name}") or "" for name in FIELDS}

    def map_fields(self):
        return [self[f"map_{name}"] for name in FIELDS]
