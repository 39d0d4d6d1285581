"""After-action reports (Markdown, HTML, PNG figures) and sweep reports."""
