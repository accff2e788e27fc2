from django import forms
from django.utils.translation import gettext_lazy as _

from kernel.extensions import webhook_events
from projects.forms import HelperMixin, VersionedFormMixin
from webhooks.models import WebhookEndpoint


class EndpointForm(HelperMixin, VersionedFormMixin, forms.ModelForm):
    url = forms.URLField(
        label=_("Payload URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "Where the events are posted (https:// recommended); the receiver answers 2xx to accept."
        ),
    )
    events = forms.MultipleChoiceField(
        choices=lambda: list(webhook_events().items()),  # the apps' contributions
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each chosen event is posted to the address once, as signed JSON."),
    )
    new_secret = forms.BooleanField(
        required=False,
        label=_("Generate a new signing secret"),
        help_text=_("The old secret stops working at once: update the receiver too."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "events", "active"]
        help_texts = {
            "active": _("Paused endpoints receive nothing; what happens meanwhile is not sent later."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["version"]
            del self.fields["new_secret"]
            self.initial.setdefault("events", list(webhook_events()))
