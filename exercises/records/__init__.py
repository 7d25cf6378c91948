"""Answer records: written into a notebook's own outputs, found again by exercise id.

The format is documented in ``docs/answer-record.md`` (format version 1). One module per job:

- ``format``: the record format and its bounds (``schema/record.schema.v1.json``): **make** a
  record and the ``display_data`` bundle that carries it (``make_record``, ``record_bundle``,
  ``record_output``, ``record_line``), check one read back (``parse_record``) and an answer
  against the bounds (``answer_problem``, ``answer_size``);
- ``scan``: **find** records in any notebook, whatever students did to it (``scan_records``,
  ``find_records``, ``latest``, ``read_notebook_records``): junk is reported, never raised;
- ``keeper``: **keep** records in a live kernel (``RecordKeeper``): every check updates the record
  output of the exercise's cell through its ``display_id``, a registry in the kernel's memory and a
  journal file, and a new widget restores the latest record from those and from the saved notebook;
- ``plugin``: **hide** records in static builds (``HideRecordsPlugin``, the myst-nb MIME renderer
  named by the ``myst_nb.mime_renderers`` entry point in ``pyproject.toml``).

Each module depends only on those above it (``plugin`` on ``format`` alone). Nothing is imported
here: import the module that holds a name (``from exercises.records import format as rec_format``).
"""
