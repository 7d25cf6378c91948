"""Static view (placeholder until the browser checker lands): prompt only."""
import html


def render(ex) -> str:
    return f'<div class="exercise" id="{ex.id}"><p><strong>{html.escape(ex.title)}</strong></p><pre>{html.escape(ex.prompt)}</pre></div>'
