"""The views of an exercise: how one bank item is shown and answered, on the static site and in a
live kernel, from the same public data in the same display order.

One module per role (import the module you need; this file re-exports nothing):

* ``order``: the one decision of the order options, items and choices are shown in;
* ``static``: the static view (HTML and its sealed spec; ``assets/exercises.js`` checks it in the browser);
* ``widgets``: the live view (one input per type, the exercise widget, the key and sealed checkers);
* ``show``: ``show(id)``, one MIME bundle carrying both views, and ``show_sealed`` for course notebooks;
* ``readable``: an answer in words (option and item texts, not ids) for records and summaries;
* ``progress``: the "My progress" page (an index of every exercise and the page's body).

The widget of a released notebook is ``exercises.handout``: released notebooks import it by that
name, so it stays at the top of the package.
"""
