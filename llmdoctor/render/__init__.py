"""Views over one report's data. Renderers lay out; they never compute or probe."""
