"""Each chapter's charts: data in, a captioned ``charts.Figure`` out. One module per chapter."""
