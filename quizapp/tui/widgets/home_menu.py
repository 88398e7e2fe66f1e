"""Home's menu: an OptionList whose counts change in place.

Back from a session, one or two of Home's counts change ("12 due" becomes "11 due"). Textual's
`replace_option_prompt` drops the rendered lines of every option, and the line heights with them,
so all of them were visualized, measured and drawn again for one changed number. Here only the
changed options lose their rendered lines, as long as every prompt before and after fits on one
row (Home's do at any usual width); otherwise, Textual's way.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.content import Content
from textual.visual import VisualType
from textual.widgets import OptionList


class HomeMenu(OptionList):
    def replace_prompts(self, prompts: Mapping[str, VisualType]) -> None:
        """Give the options with these ids these prompts, drawing only those options again."""
        options = {option_id: self.get_option(option_id) for option_id in prompts}
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        width -= self.get_component_styles("option-list--option").padding.width
        texts = [str(p) for p in prompts.values()] + [str(o.prompt) for o in options.values()]
        if width <= 0 or any("\n" in t or Content(t).cell_length >= width for t in texts):
            for option_id, prompt in prompts.items():  # a row more or less: Textual's way
                self.replace_option_prompt(option_id, prompt)
            return
        cache = self._option_render_cache
        for option_id, prompt in prompts.items():
            option = options[option_id]
            option._set_prompt(prompt)
            for key in [key for key in cache.keys() if key[0] is option]:  # noqa: SIM118 - an LRUCache
                cache.discard(key)
        self.refresh()
