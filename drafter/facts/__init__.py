"""The figures an office supplies: load and lint facts files, fact sheets from past reports, workbooks."""
