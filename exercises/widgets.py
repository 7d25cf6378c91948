"""Widget view (placeholder until the widget view lands)."""
import ipywidgets as w


class ExerciseWidget(w.VBox):
    def __init__(self, ex):
        super().__init__([w.HTML(f"<b>{ex.title}</b>")])
