"""Every Python example in the README runs as written, in order, as a reader pasting
them into one interpreter would run them."""

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_readme_examples_run_in_order():
    assert len(BLOCKS) >= 3
    namespace: dict = {}
    for k, code in enumerate(BLOCKS):
        exec(compile(code, f"README.md python block {k}", "exec"), namespace)
    assert namespace["x"].grad is not None  # the last example ran backward
