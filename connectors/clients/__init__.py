"""One client per tool. Each reads pages of tickets updated since a watermark, in update order, and
says where the next page starts (a cursor the sync saves after every page)."""

from ..models import ConnectorKind


def client_for(connector, credentials: dict, *, sleep=None):
    from . import jira, rt5, servicenow

    classes = {
        ConnectorKind.RT5: rt5.RT5Client,
        ConnectorKind.JIRA: jira.JiraClient,
        ConnectorKind.SERVICENOW: servicenow.ServiceNowClient,
    }
    if connector.kind not in classes:
        raise ValueError(
            f"{connector.get_kind_display()} has no client: its tickets come from a file import."
        )
    return classes[connector.kind](connector, credentials, sleep=sleep)
