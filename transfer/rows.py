"""The second pass over data.json: each table's name and fields, then its rows one at a time, each
built within PROJECT_IMPORT_MAX_ROW_BYTES (stream.Builder)."""

from kernel.relabel import current_label

from .archive import ArchiveRefused
from .stream import Builder, Limits


class RowReader:
    def __init__(self, limits: Limits, on_table, on_row, on_end):
        self.limits, self.on_table, self.on_row, self.on_end = limits, on_table, on_row, on_end
        self.model, self.fields, self.started = "", [], False
        self.builder: Builder | None = None

    def feed(self, prefix: str, event: str, value) -> None:
        if self.builder is not None:
            if self.builder.feed(event, value):
                self.on_row(self.builder.value, self.builder.used)
                self.builder = None
            return
        if not prefix.startswith("models.item"):
            return
        if prefix == "models.item":
            if event == "start_map":
                self.model, self.fields, self.started = "", [], False
            elif event == "end_map":
                if not self.started:
                    self.on_table(self.model, self.fields)
                self.on_end(self.model)
        elif prefix == "models.item.model" and event == "string":
            self.model = current_label(value)  # an archive made before a table moved app
        elif prefix == "models.item.fields.item" and event == "string":
            self.fields.append(value)
        elif prefix == "models.item.rows" and event == "start_array":
            if not self.model or not self.fields:
                raise ArchiveRefused(
                    "data.json in the archive is malformed: a table's rows come before its name and fields."
                )
            self.started = True
            self.on_table(self.model, self.fields)
        elif prefix == "models.item.rows.item":
            if event != "start_array":
                raise ArchiveRefused("data.json in the archive is malformed: a row is not a list of values.")
            self.builder = Builder(self.limits.row_bytes, f"a row of {self.model}")
            self.builder.feed(event, value)
