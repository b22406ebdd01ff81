"""The (en, zh) texts of every result and refusal code, one table per area; `floor.core.messages` joins them.

Each module holds one constant, `MESSAGES: dict[str, tuple[str, str]]`, and imports nothing: the
texts are data, so the one place that puts them together (`floor.core.messages.CATALOGUE`) can
import them all without an import cycle, whatever module raises the codes. A comment above each
group names the module that raises its codes. To add a code, add its line to its area's table;
a new area is a new module here and one line in `floor.core.messages.TABLES`.
"""
